// The import batch page: follow the background check or import, then show its result.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("progress-bar");
  var percent = document.getElementById("progress-percent");
  var stage = document.getElementById("progress-stage");
  var status = document.getElementById("batch-status");
  var failures = 0;

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        percent.textContent = state.percent + "%";
        stage.textContent = state.stage;
        stage.classList.toggle("errornote", !state.worker_running);
        status.textContent = state.status_display;
        if (state.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        failures += 1;
        stage.textContent = "暂时无法获取进度，正在重试……";
        window.setTimeout(poll, Math.min(10000, 1000 * failures));
      });
  }
  window.setTimeout(poll, 500);
})();
