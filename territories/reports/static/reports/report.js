// The «меня тоже касается» button through the API, without leaving the page.
// Without JavaScript the same form posts to the page and comes back.

function csrfToken(form) {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function support(form) {
  const note = form.querySelector(".support-note");
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
    });
    const body = await response.json();
    if (!response.ok) {
      note.textContent = body.error || form.dataset.failed;
      button.disabled = false;
      return;
    }
    document.querySelector(".support-count").textContent = body.support_count;
    note.textContent = body.counted ? form.dataset.counted : form.dataset.repeated;
  } catch {
    note.textContent = form.dataset.failed;
    button.disabled = false;
  }
}

for (const form of document.querySelectorAll(".support-form")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    support(form);
  });
}
