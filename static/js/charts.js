// Bar charts from data attributes (values are JSON; labels are text, never HTML).
(function () {
  if (!window.Chart) return;
  document.querySelectorAll("canvas[data-values]").forEach(function (canvas) {
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: JSON.parse(canvas.dataset.labels),
        datasets: [{ label: canvas.dataset.series, data: JSON.parse(canvas.dataset.values),
                     backgroundColor: "#0b5e55" }]
      },
      options: { animation: false, plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
})();
