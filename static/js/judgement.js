// The calibration chart of "How well I judge". Loaded with the CSP nonce after Chart.js;
// the figures come from the json_script block the canvas names in data-chart-data, and
// the same figures are in the table below it, so the chart is a view, never the only one.
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
  }

  function percent(value) {
    return value === null || value === undefined ? "–" : Math.round(value) + "%";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartData);
    if (!window.Chart || !source || window.Chart.getChart(canvas)) return;
    var data = JSON.parse(source.textContent);
    var text = cssVar("--bs-body-color", "#212529");
    var grid = cssVar("--bs-border-color", "#dee2e6");
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "bar",
            label: "Likely range",
            data: data.likely,
            backgroundColor: "rgba(47, 93, 98, 0.18)",
            borderColor: "rgba(47, 93, 98, 0.5)",
            borderWidth: 1,
            barPercentage: 0.35,
            order: 3
          },
          {
            type: "line",
            label: "Came true",
            data: data.came_true,
            borderColor: "#2f5d62",
            backgroundColor: "#2f5d62",
            showLine: false,
            pointRadius: 6,
            order: 1
          },
          {
            type: "line",
            label: "What you stated",
            data: data.stated,
            borderColor: "#c4534b",
            backgroundColor: "#c4534b",
            borderDash: [4, 4],
            pointRadius: 3,
            order: 2
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { title: { display: true, text: "Stated probability", color: text }, ticks: { color: text }, grid: { color: grid } },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: "Came true (%)", color: text },
            ticks: { color: text },
            grid: { color: grid }
          }
        },
        plugins: {
          legend: { labels: { color: text } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var i = item.dataIndex;
                if (item.dataset.type === "bar") {
                  return "Likely " + percent(data.likely[i][0]) + "–" + percent(data.likely[i][1]);
                }
                if (item.dataset.label === "Came true") {
                  return "Came true " + percent(data.came_true[i]) + " of " + data.counts[i];
                }
                return "Stated " + percent(data.stated[i]) + " on average";
              }
            }
          }
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart='calibration']").forEach(draw);
})();
