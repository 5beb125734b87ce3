// Marks a lesson finished when the reader reaches its end (the button does the same).
(function () {
  var form = document.getElementById("complete-form");
  var end = document.getElementById("lesson-end");
  if (!form || !end || form.dataset.auto !== "on" || !("IntersectionObserver" in window)) return;
  var sent = false;
  var observer = new IntersectionObserver(function (entries) {
    if (sent || !entries.some(function (e) { return e.isIntersecting; })) return;
    sent = true;
    observer.disconnect();
    var body = new FormData(form);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { sent = false; return; }
      var state = document.getElementById("lesson-state");
      state.className = "align-self-center small text-success";
      state.textContent = "✓ " + form.dataset.doneLabel;
      var stay = form.querySelector('button[value="stay"]');
      if (stay) stay.remove();
    }).catch(function () { sent = false; });
  }, { rootMargin: "0px 0px -10% 0px" });
  // Wait a moment so that a short lesson is not "read" the instant it opens.
  setTimeout(function () { observer.observe(end); }, 3000);
})();
