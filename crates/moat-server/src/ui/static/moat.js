// Conveniences only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Sorting the list applies at once.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }

  // The mute fields only matter when muting; a reason is then required.
  const status = document.querySelector("select[data-status]");
  if (status) {
    const form = status.form;
    const until = form.querySelector("label.until");
    const reason = form.querySelector("textarea[name=reason]");
    const update = () => {
      const muting = status.value === "muted";
      until.hidden = !muting;
      reason.required = muting;
    };
    status.addEventListener("change", update);
    update();
  }

  // Times in the reader's own zone, the UTC text kept as a tooltip.
  for (const time of document.querySelectorAll("time[datetime]")) {
    const when = new Date(time.getAttribute("datetime"));
    if (!Number.isNaN(when.getTime()) && time.textContent.length > 10) {
      time.title = time.getAttribute("datetime");
      time.textContent = when.toLocaleString();
    }
  }
});
