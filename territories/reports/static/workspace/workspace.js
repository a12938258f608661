// The workspace works without this script; it only saves clicks.
document.addEventListener("DOMContentLoaded", () => {
  // A chosen response template fills the comment, which stays editable.
  for (const select of document.querySelectorAll("select.ws-template")) {
    select.addEventListener("change", () => {
      const form = select.form;
      const source = form.querySelector(`template[data-template="${select.value}"]`);
      const comment = form.querySelector("textarea[name=comment]");
      if (source && comment) comment.value = source.content.textContent.trim();
      const status = select.selectedOptions[0]?.dataset.status;
      const target = form.querySelector("select[name=status]");
      if (status && target && [...target.options].some((o) => o.value === status)) {
        target.value = status;
      }
    });
  }
  for (const box of document.querySelectorAll("input.ws-select-all")) {
    box.addEventListener("change", () => {
      for (const row of box.closest("form").querySelectorAll("input[name=reports]")) {
        row.checked = box.checked;
      }
    });
  }
  for (const button of document.querySelectorAll("button.ws-print")) {
    button.addEventListener("click", () => window.print());
  }
});
