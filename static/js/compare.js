// The comparison page: the chart, the what-if slider read-outs and the gut-ranking order
// (the Print button is handled in crossroads.js, for every page). Loaded with the CSP nonce, after the vendored Chart.js, on this page only.
(function () {
  "use strict";

  // --- The chart: a stacked bar of criterion points per opportunity --------------------------
  // Its numbers come from the data-chart attribute of #chart-data inside the #comparison
  // fragment, so each what-if swap brings new ones; the canvas stays put, and the chart is
  // updated in place so the bars visibly move.

  var chart = null;
  var HORIZONTAL_FROM = 9; // More bars than this read better lying down.

  function readChartData() {
    var node = document.getElementById("chart-data");
    return node ? JSON.parse(node.getAttribute("data-chart")) : null;
  }

  function colours(count) {
    // Evenly spread hues (golden angle), muted enough to sit beside the text.
    var list = [];
    for (var i = 0; i < count; i++) {
      list.push("hsl(" + Math.round((190 + i * 137.508) % 360) + ", 45%, 52%)");
    }
    return list;
  }

  function points(value) {
    return (Math.round(value * 10) / 10).toFixed(1) + " pts";
  }

  function drawChart() {
    var canvas = document.getElementById("compare-chart");
    var data = readChartData();
    if (!canvas || !data || !window.Chart) return;
    var horizontal = data.labels.length >= HORIZONTAL_FROM;
    var palette = colours(data.datasets.length);
    var datasets = data.datasets.map(function (set, index) {
      return { label: set.label, data: set.data, backgroundColor: palette[index], borderWidth: 0 };
    });

    var sameShape = chart && chart.options.indexAxis === (horizontal ? "y" : "x") &&
      chart.data.datasets.length === datasets.length && chart.data.labels.length === data.labels.length;
    if (sameShape) {
      chart.data.labels = data.labels;
      chart.data.datasets.forEach(function (set, index) {
        set.label = datasets[index].label;
        set.data = datasets[index].data;
      });
      chart.update();
      return;
    }
    if (chart) chart.destroy();

    // CSSOM, not a style attribute: allowed by the CSP.
    canvas.parentElement.style.height = horizontal ? (data.labels.length * 30 + 140) + "px" : "";
    var text = getComputedStyle(document.body).color;
    var valueAxis = {
      stacked: true, min: 0, max: 100, ticks: { color: text },
      title: { display: true, text: "Decision score (points out of 100)", color: text }
    };
    var categoryAxis = { stacked: true, ticks: { color: text, autoSkip: false } };
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 350 },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { position: "bottom", labels: { color: text, boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + points(horizontal ? context.parsed.x : context.parsed.y);
              },
              footer: function (items) {
                var total = data.totals[items[0].dataIndex];
                return total === null ? "Not scored yet" : "Decision score " + total.toFixed(1);
              }
            }
          }
        }
      }
    });
  }

  drawChart();
  // Sent by the server (HX-Trigger) with every new #comparison, once it has settled.
  document.body.addEventListener("comparisonChanged", drawChart);

  // --- What-if sliders: show each value as it moves, marked when it differs from the saved one -

  document.addEventListener("input", function (event) {
    var slider = event.target;
    if (slider.matches("[data-what-if]")) {
      var row = slider.closest(".what-if-row");
      row.querySelector("[data-what-if-output]").textContent = slider.value;
      row.classList.toggle("is-changed", slider.value !== row.getAttribute("data-saved"));
    }
  });

  // --- Gut ranking: move options up and down with buttons (the numbers are what is sent) -----

  function renumber(list) {
    var items = list.querySelectorAll("[data-gut-item]");
    items.forEach(function (item, index) {
      item.querySelector("[data-gut-place]").value = String(index + 1);
      item.querySelector('[data-gut-move="up"]').disabled = index === 0;
      item.querySelector('[data-gut-move="down"]').disabled = index === items.length - 1;
    });
    return items.length;
  }

  function moveOption(button) {
    var item = button.closest("[data-gut-item]");
    var list = item.parentElement;
    var direction = button.getAttribute("data-gut-move");
    var neighbour = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!neighbour) return;
    list.insertBefore(item, direction === "up" ? neighbour : neighbour.nextElementSibling);
    var count = renumber(list);
    // Moving the item took focus away: give it back, to the twin button at either end.
    var same = item.querySelector('[data-gut-move="' + direction + '"]');
    var other = item.querySelector('[data-gut-move="' + (direction === "up" ? "down" : "up") + '"]');
    (same.disabled ? other : same).focus();
    var place = Array.prototype.indexOf.call(list.children, item) + 1;
    var announce = list.closest("form").querySelector("[data-gut-announce]");
    if (announce) {
      announce.textContent = item.getAttribute("data-gut-title") + ": place " + place + " of " + count + ".";
    }
  }

  document.addEventListener("click", function (event) {
    var move = event.target.closest("[data-gut-move]");
    if (move) {
      moveOption(move);
    }
  });
})();
