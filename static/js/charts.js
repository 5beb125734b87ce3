// Bar charts from data attributes (values are JSON; labels are text, never HTML).
// data-x-title / data-y-title name the axes (with their unit); data-decimals allows
// fractional ticks (hours).
(function () {
  if (!window.Chart) return;
  document.querySelectorAll("canvas[data-values]").forEach(function (canvas) {
    var d = canvas.dataset;
    var axis = function (title) {
      return title ? { display: true, text: title } : { display: false };
    };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(d.labels),
        datasets: [{ label: d.series, data: JSON.parse(d.values),
                     backgroundColor: "#0b5e55" }]
      },
      options: { animation: false, plugins: { legend: { display: false } },
                 scales: { x: { title: axis(d.xTitle) },
                           y: { beginAtZero: true, title: axis(d.yTitle),
                                ticks: d.decimals ? {} : { precision: 0 } } } }
    });
  });
})();
