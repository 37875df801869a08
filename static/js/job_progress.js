// The progress bar of a job's page (templates/jobs/job_detail.html): while the job runs, its status
// (core/job_views.py job_status) is read every two seconds and the bar follows; once it has finished the
// page is loaded again, which shows the download link or the reason it failed.
(function () {
  "use strict";
  const box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") return;
  const bar = box.querySelector("progress");
  const count = document.getElementById("job-count");
  const badge = document.querySelector("#job-status .badge");
  const format = new Intl.NumberFormat(document.documentElement.lang || "vi");
  let failures = 0;

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data.finished) {
          window.location.reload();
          return;
        }
        if (badge) badge.textContent = data.label;
        if (data.percent !== null) {
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
        }
        if (data.total) count.textContent = format.format(data.done) + " / " + format.format(data.total);
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        failures += 1;
        if (failures < 30) window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
