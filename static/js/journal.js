// Charts of the decision journal: the score over time on an opportunity's page, and
// priorities over time. Loaded with the CSP nonce after Chart.js; every figure comes
// from a json_script block named by the canvas's data-chart-data attribute, and the
// same figures are on the page as text, so the charts are a view, never the only one.
(function () {
  "use strict";

  var PALETTE = ["#2f5d62", "#e0a458", "#8c5e9c", "#4f8a3c", "#c4534b", "#3f7cac", "#9a7b4f", "#5b6770"];

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
  }

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.chartData);
    return source ? JSON.parse(source.textContent) : null;
  }

  function baseOptions(yMax, yTitle) {
    var text = cssVar("--bs-body-color", "#212529");
    var grid = cssVar("--bs-border-color", "#dee2e6");
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: 6 } },
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { ticks: { color: text }, grid: { color: grid } },
        y: {
          min: 0,
          max: yMax,
          title: { display: true, text: yTitle, color: text },
          ticks: { color: text },
          grid: { color: grid }
        }
      },
      plugins: { legend: { labels: { color: text } } }
    };
  }

  var charts = {
    "score-history": function (canvas, data) {
      var options = baseOptions(100, "Decision score");
      options.plugins.legend.display = false;
      options.plugins.tooltip = {
        callbacks: {
          title: function (items) {
            var i = items[0].dataIndex;
            return data.dates[i] ? data.labels[i] + " (" + data.dates[i] + ")" : data.labels[i];
          }
        }
      };
      return new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [{
            label: "Decision score",
            data: data.values,
            borderColor: PALETTE[0],
            backgroundColor: PALETTE[0],
            pointRadius: 4,
            tension: 0,
            clip: false
          }]
        },
        options: options
      });
    },
    "priorities": function (canvas, data) {
      return new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, i) {
            var colour = PALETTE[i % PALETTE.length];
            return {
              label: series.name,
              data: series.weights,
              borderColor: colour,
              backgroundColor: colour,
              pointRadius: 3,
              spanGaps: false,
              clip: false
            };
          })
        },
        options: baseOptions(10, "Weight (0–10)")
      });
    }
  };

  function render(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var make = charts[canvas.dataset.chart];
      var data = readData(canvas);
      if (!make || !data || window.Chart.getChart(canvas)) return;
      make(canvas, data);
    });
  }

  // Chart.js weighs about 60 KB compressed. A page that does not load it up front names
  // it in its canvas's data-chart-src instead, and it is fetched when a chart comes near
  // the screen: on the scoring page the sliders never wait for a chart below them.
  var nonce = document.currentScript && document.currentScript.nonce;

  function loadChartJs(src, then) {
    var script = document.querySelector("script[data-chart-js]");
    if (!script) {
      script = document.createElement("script");
      script.src = src;
      script.dataset.chartJs = "";
      if (nonce) script.nonce = nonce;
      document.head.appendChild(script);
    }
    script.addEventListener("load", then);
  }

  function renderWhenNear(root) {
    var lazy = root.querySelector("canvas[data-chart][data-chart-src]");
    if (window.Chart || !lazy) {
      render(root);
      return;
    }
    var load = function () { loadChartJs(lazy.dataset.chartSrc, function () { render(root); }); };
    if (!("IntersectionObserver" in window)) {
      load();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        load();
      }
    }, { rootMargin: "300px" });
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) { observer.observe(canvas); });
  }

  renderWhenNear(document);
})();
