// Practice drills: charts from data-chart JSON (labels are text drawn on the canvas, never
// HTML), confirmations on buttons that start an assessment, and a busy state while a run is
// being simulated.
(function () {
  var palette = ["#0b5e55", "#d9822b", "#2b6cb0", "#9b2c2c", "#6b46c1", "#2f855a", "#718096"];

  if (window.Chart) {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec;
      try { spec = JSON.parse(canvas.dataset.chart); } catch (e) { return; }
      var lines = 0, points = 0;
      var datasets = spec.datasets.map(function (d, i) {
        var kind = d.type || spec.type;
        var color = palette[(kind === "line" && spec.type === "scatter" ? lines++ : i) % palette.length];
        if (kind === "scatter") color = palette[points++ % palette.length];
        var base = { borderColor: color, backgroundColor: color, borderWidth: 2, fill: false,
                     tension: 0.15, pointRadius: kind === "scatter" ? 3 : (kind === "bar" ? 0 : 0) };
        if (kind === "bar") base.backgroundColor = color + "cc";
        var out = Object.assign(base, d);
        if (out.stack === null) delete out.stack;
        return out;
      });
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          animation: false, maintainAspectRatio: false, responsive: true,
          interaction: { mode: spec.type === "scatter" ? "nearest" : "index", intersect: false },
          plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
          scales: spec.scales || {}
        }
      });
    });
  }

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      if (form.dataset.sent) { event.preventDefault(); return; }  // no double submit
      form.dataset.sent = "1";
      if (button && button.name) {  // a disabled button is not sent: carry its value
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
        form.appendChild(hidden);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      if (button) {
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm ms-2";
        spinner.setAttribute("role", "status");
        spinner.setAttribute("aria-label", form.dataset.busy);
        button.appendChild(spinner);
      }
    });
  });
})();
