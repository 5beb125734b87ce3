// Trainer studio: confirmations, upload-and-insert in the lesson editor, and showing only
// the fields that matter (question type, assignment target). Everything works without it.
(function () {
  // Forms that ask before they act.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });

  // Upload a file and insert its Markdown at the cursor of the lesson text.
  var upload = document.getElementById("upload-form");
  if (upload && window.fetch && window.FormData) {
    upload.addEventListener("submit", function (e) {
      e.preventDefault();
      var status = document.getElementById("upload-status");
      var target = document.getElementById(upload.dataset.target);
      status.textContent = "";
      fetch(upload.action, {
        method: "POST", body: new FormData(upload), credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      }).then(function (res) {
        if (!res.ok) { status.textContent = res.data.error || upload.dataset.failed; return; }
        var text = "\n" + res.data.markdown + "\n";
        var at = target.selectionStart || target.value.length;
        target.value = target.value.slice(0, at) + text + target.value.slice(at);
        target.focus();
        target.selectionStart = target.selectionEnd = at + text.length;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        upload.reset();
      }).catch(function () { status.textContent = upload.dataset.failed; });
    });
  }

  function showFor(selector, attr, value) {
    document.querySelectorAll(selector).forEach(function (el) {
      el.hidden = el.getAttribute(attr).split(" ").indexOf(value) < 0;
    });
  }

  // Question editor: the answer fields of the chosen type only.
  var type = document.querySelector("#question-form select[name='type']");
  if (type) {
    var byType = function () { showFor("#question-form [data-types]", "data-types", type.value); };
    type.addEventListener("change", byType);
    byType();
  }

  // Assignment: the fields of the chosen target only.
  var assign = document.getElementById("assign-form");
  if (assign) {
    var byTarget = function () {
      var checked = assign.querySelector("input[name='target']:checked");
      showFor("#assign-form [data-target-kind]", "data-target-kind", checked ? checked.value : "people");
    };
    assign.querySelectorAll("input[name='target']").forEach(function (r) {
      r.addEventListener("change", byTarget);
    });
    byTarget();
  }
})();
