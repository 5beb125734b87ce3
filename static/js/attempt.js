// Quiz attempt: autosave every change (no page reload) and a countdown enforced by the server.
(function () {
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var status = document.getElementById("save-status");
  var timer = null, inflight = false, pending = false, retryDelay = 2000;

  function show(text, cls) { status.textContent = text; status.className = "small " + cls; }

  function save() {
    if (inflight) { pending = true; return; }
    inflight = true; pending = false;
    show(status.dataset.saving, "text-muted");
    fetch(form.dataset.saveUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      inflight = false;
      if (res.ok) {
        retryDelay = 2000;
        var t = new Date(res.data.saved_at);
        show(status.dataset.saved + " " + t.toLocaleTimeString(), "text-success");
        if (pending) save();
      } else if (res.status === 409) {
        show(res.data.error, "text-danger");  // time up or submitted: stop saving
        if (!form.dataset.submitting) { form.dataset.submitting = "1"; form.submit(); }
      } else {
        show(res.data.error || status.dataset.failed, "text-danger");
      }
    }).catch(function () {
      inflight = false;
      show(status.dataset.failed, "text-danger");
      setTimeout(save, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function schedule(delay) { clearTimeout(timer); timer = setTimeout(save, delay); }
  form.addEventListener("change", function () { schedule(100); });
  form.addEventListener("input", function (e) { if (e.target.type === "text") schedule(800); });
  window.addEventListener("online", function () { schedule(0); });

  var btn = document.getElementById("submit-btn");
  form.addEventListener("submit", function (e) {
    if (form.dataset.submitting) return;
    if (!window.confirm(btn.dataset.confirm)) { e.preventDefault(); return; }
    form.dataset.submitting = "1";
    btn.disabled = true;  // a double click sends one submit (the server accepts one anyway)
  });

  var countdown = document.getElementById("countdown");
  if (countdown) {
    var deadline = new Date(countdown.dataset.deadline).getTime();
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      countdown.textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
      if (left <= 60) countdown.className = "badge text-bg-danger fs-6";
      if (left === 0) {
        clearInterval(handle);
        countdown.textContent = countdown.dataset.ended;
        if (!form.dataset.submitting) { form.dataset.submitting = "1"; form.submit(); }
      }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
