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

  function points(value) {
    return (Math.round(value * 10) / 10).toFixed(1) + " pts";
  }

  function drawChart() {
    var canvas = document.getElementById("compare-chart");
    var data = readChartData();
    if (!canvas || !data || !window.Chart) return;
    var horizontal = data.labels.length >= HORIZONTAL_FROM;
    // Each criterion's colour comes with the data (compare.core.chart_colours): no two alike.
    var datasets = data.datasets.map(function (set) {
      return { label: set.label, data: set.data, backgroundColor: set.colour, borderWidth: 0 };
    });

    var sameShape = chart && chart.options.indexAxis === (horizontal ? "y" : "x") &&
      chart.data.datasets.length === datasets.length && chart.data.labels.length === data.labels.length;
    if (sameShape) {
      chart.data.labels = data.labels;
      chart.data.datasets.forEach(function (set, index) {
        set.label = datasets[index].label;
        set.data = datasets[index].data;
        set.backgroundColor = datasets[index].backgroundColor;
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

  // --- The plausible cases: a floating bar per opportunity, its likely decision score --------
  // Inside #comparison-answer (uncertainty/odds.html), which a what-if swap replaces whole: the
  // canvas is new each time, so the old chart is let go and a new one drawn.

  var oddsChart = null;

  function drawOddsChart() {
    var canvas = document.querySelector("[data-odds-chart]");
    var node = document.getElementById("odds-data");
    if (oddsChart && oddsChart.canvas !== canvas) {
      oddsChart.destroy();
      oddsChart = null;
    }
    if (!canvas || !node || !window.Chart) return;
    var data = JSON.parse(node.getAttribute("data-chart"));
    if (oddsChart) oddsChart.destroy();
    canvas.parentElement.style.height = (data.labels.length * 30 + 90) + "px"; // CSSOM: CSP-safe
    var text = getComputedStyle(document.body).color;
    oddsChart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{
          label: "Likely decision score",
          // A score with no unsure part has no band: a thin line at the score shows where it is.
          data: data.bands.map(function (band) {
            return band[0] === band[1] ? [band[0] - 0.3, band[1] + 0.3] : band;
          }),
          backgroundColor: data.bands.map(function (band) {
            return band[0] === band[1] ? "#6c757d" : "#4c72b0";
          }),
          borderWidth: 0
        }]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 350 },
        scales: {
          x: {
            min: 0, max: 100, ticks: { color: text },
            title: { display: true, text: "Decision score, 10th to 90th percentile of the plausible cases", color: text }
          },
          y: { ticks: { color: text, autoSkip: false } }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                var band = data.bands[context.dataIndex];
                var point = data.points[context.dataIndex];
                if (band[0] === band[1]) return point.toFixed(1) + " (no unsure score)";
                return point.toFixed(1) + ", likely " + band[0].toFixed(0) + "–" + band[1].toFixed(0);
              }
            }
          }
        }
      }
    });
  }

  drawOddsChart();
  document.body.addEventListener("comparisonChanged", drawOddsChart);

  // --- The matrix's header row follows the page down ------------------------------------------
  // The matrix shows every row (no scroll box of its own), so a long one runs past the screen.
  // Its box scrolls sideways on a narrow screen, which keeps CSS `position: sticky` from
  // reaching the page's scrolling: instead the header cells are moved down (a transform, which
  // changes no layout) as far as the page has scrolled past them, never beyond the last row.
  // The first column stays put sideways with plain CSS (crossroads.css).

  var headPending = false;

  function followHead() {
    headPending = false;
    var table = document.querySelector("[data-sticky-head]");
    if (!table || !table.tHead) return;
    var head = table.tHead;
    var cells = head.rows[0].cells;
    var headBox = head.getBoundingClientRect(); // the header's own place: the cells move, not it
    var last = table.rows[table.rows.length - 1].getBoundingClientRect();
    var offset = Math.max(0, Math.min(-headBox.top, last.bottom - headBox.bottom));
    var transform = offset > 0 ? "translateY(" + offset + "px)" : "";
    for (var i = 0; i < cells.length; i++) {
      cells[i].style.transform = transform; // CSSOM, not a style attribute: allowed by the CSP
    }
    table.classList.toggle("is-head-floating", offset > 0);
  }

  function scheduleFollowHead() {
    if (!headPending) {
      headPending = true;
      window.requestAnimationFrame(followHead);
    }
  }

  followHead();
  window.addEventListener("scroll", scheduleFollowHead, { passive: true });
  window.addEventListener("resize", scheduleFollowHead);
  document.body.addEventListener("comparisonChanged", followHead);

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
