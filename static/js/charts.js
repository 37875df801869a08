// Charts of the portal (reports, the person page, the first screen). Each <canvas data-chart="ID"> draws the data the
// server put in <script id="ID" type="application/json"> (Django's json_script), so pages carry no inline
// code. The data: {type: "bar"|"line", labels, datasets: [{label, data, dashed?}], min?, max?,
// horizontal?, colors?, threshold?, decimals?}. Numbers are written the page language's way (3,45 in vi).
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  const lang = document.documentElement.lang || "vi";
  const PALETTE = ["#0b4f9c", "#fd7e14", "#198754", "#6f42c1", "#d63384", "#20c997"];
  const charts = [];

  function numberFormat(decimals) {
    const format = new Intl.NumberFormat(lang, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    return function (value) {
      return value === null || value === undefined ? "—" : format.format(value);
    };
  }

  // Long Vietnamese names (skill groups, criteria) are wrapped onto lines of about `width` characters.
  function wrap(label, width) {
    const lines = [];
    let line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  // A dashed red line at the threshold, across the value axis.
  const thresholdLine = {
    id: "thresholdLine",
    afterDatasetsDraw: function (chart, _args, options) {
      if (options.value === undefined || options.value === null) return;
      const horizontal = chart.options.indexAxis === "y";
      const scale = chart.scales[horizontal ? "x" : "y"];
      const at = scale.getPixelForValue(options.value);
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#dc3545";
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      if (horizontal) {
        ctx.moveTo(at, area.top);
        ctx.lineTo(at, area.bottom);
      } else {
        ctx.moveTo(area.left, at);
        ctx.lineTo(area.right, at);
      }
      ctx.stroke();
      ctx.restore();
    },
  };

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const decimals = spec.decimals === undefined ? 2 : spec.decimals;
    const format = numberFormat(decimals);
    const horizontal = Boolean(spec.horizontal);
    const line = spec.type === "line";
    const single = spec.datasets.length === 1;

    const datasets = spec.datasets.map(function (set, i) {
      const color = spec.colors && single ? spec.colors : PALETTE[i % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: color,
        borderColor: color,
        borderWidth: line ? 2 : 0,
        borderDash: set.dashed ? [6, 4] : [],
        pointRadius: line ? 4 : undefined,
        spanGaps: true,
        tension: 0.2,
      };
    });

    const valueAxis = {
      min: spec.min,
      max: spec.max,
      beginAtZero: spec.min === 0,
      ticks: {
        precision: decimals === 0 ? 0 : undefined,
        callback: function (value) {
          return numberFormat(Number.isInteger(value) ? 0 : 1)(value);
        },
      },
    };
    const labelAxis = { ticks: { autoSkip: false } };
    const narrow = canvas.parentElement.clientWidth < 500;
    // The names wrapped to the width the chart has: beside horizontal bars at most about two fifths of it
    // (Chart.js cuts a longer name at the canvas's edge: a phone, a printed page), under vertical ones the
    // room of one bar.
    function wrapped(width) {
      const room = horizontal ? width * 0.4 : width / Math.max(spec.labels.length, 1);
      const chars = Math.max(horizontal ? 12 : 8, Math.min(horizontal ? 30 : 16, Math.floor(room / 7)));
      return spec.labels.map(function (label) { return wrap(label, chars); });
    }
    const labels = wrapped(canvas.parentElement.clientWidth);

    if (horizontal) {
      // One bar needs some height; the box grows with the number of labels instead of squeezing them.
      const lines = labels.reduce(function (sum, l) { return sum + Math.max(l.length, 1); }, 0);
      canvas.parentElement.style.height = Math.max(200, lines * 16 + labels.length * 20 + 50) + "px";
    }

    const chart = new Chart(canvas, {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      plugins: [thresholdLine],
      options: {
        locale: lang,
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: !horizontal,
        // A phone is narrow: taller charts, so a trend with its legend keeps some height.
        aspectRatio: narrow ? (line ? 1.1 : 1.4) : line ? 2.2 : 1.8,
        animation: { duration: 300 },
        // Drawn again at another width (the printed page, a phone turned): the names wrapped to it.
        onResize: function (resized, size) {
          const again = wrapped(size.width);
          if (JSON.stringify(again) !== JSON.stringify(resized.data.labels)) {
            resized.data.labels = again;
            resized.update("none");
          }
        },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: !single, position: "bottom", labels: { usePointStyle: line } },
          thresholdLine: { value: spec.threshold },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? spec.labels[items[0].dataIndex] : "";
              },
              label: function (item) {
                const value = horizontal ? item.parsed.x : item.parsed.y;
                return (single ? "" : item.dataset.label + ": ") + format(value);
              },
            },
          },
        },
      },
    });
    charts.push(chart);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // Paper is narrower than the screen: redraw the charts to the printed width, and back afterwards.
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
