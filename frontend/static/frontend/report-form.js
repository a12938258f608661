// Reporting a problem from the map: a button opens the form, a click on the map (or the
// device's location) places the point, the form sends everything to POST /api/reports/.
// The server checks everything for real; the checks here only save a round trip.

import { ApiError, postForm } from "./api.js";
import { element, interpolate } from "./dom.js";
import { createNearby } from "./report-nearby.js";
import { questionField } from "./report-questions.js";

const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
const NARROW = window.matchMedia("(max-width: 600px)");

export function createReportForm({ map, config, labels, categories, onSubmitted }) {
  const t = labels.report;
  const statuses = labels.values.reports?.status ?? {};
  const byCode = new Map(categories.map((category) => [category.code, category]));
  const nearby = createNearby(config, t, statuses);
  const fields = buildFields(t, config, categories);
  const errors = new Map(); // field name → its error line
  let point = null;
  let marker = null;

  const form = element("form", "report-form", [
    fields.location,
    element("div", "report-form__fields", [
      fields.category.wrapper,
      fields.questions,
      nearby.box,
      fields.description.wrapper,
      fields.photos.wrapper,
      fields.about,
      fields.general,
      element("div", "report-form__actions", [fields.submit, fields.cancel]),
    ]),
  ]);
  form.noValidate = true;
  for (const [name, node] of Object.entries(fields.errors)) errors.set(name, node);

  const closeButton = element("button", "report-panel__close", "×");
  closeButton.type = "button";
  closeButton.title = t.close;
  closeButton.setAttribute("aria-label", t.close);
  const success = element("div", "report-success");
  const panel = element("aside", "report-panel", [
    element("header", "report-panel__header", [
      element("h2", "report-panel__title", t.formTitle),
      closeButton,
    ]),
    form,
    success,
  ]);
  panel.setAttribute("aria-label", t.formTitle);
  panel.hidden = true;
  map.getContainer().parentElement.append(panel);

  const openButton = reportButton(map, t.reportButton, open);

  function open() {
    map.closePopup();
    panel.hidden = false;
    form.hidden = false;
    success.hidden = true;
    openButton.hidden = true;
    setPicking(true);
    map.on("click", onMapClick);
    fields.location.querySelector("button").focus();
  }

  function close() {
    map.off("click", onMapClick);
    marker?.remove();
    marker = point = null;
    form.reset();
    fields.questions.replaceChildren();
    nearby.hide();
    clearErrors();
    updateCounter();
    panel.hidden = true;
    openButton.hidden = false;
    map.getContainer().classList.remove("is-reporting");
  }

  function setPicking(picking) {
    map.getContainer().classList.add("is-reporting");
    panel.classList.toggle("is-picking", picking);
    fields.hint.textContent = picking ? t.pickPoint : t.pointChosen;
  }

  function onMapClick(event) {
    setPoint(event.latlng);
  }

  function setPoint(latlng) {
    point = latlng;
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, icon: draftIcon(), zIndexOffset: 10000 });
      marker.on("dragend", () => setPoint(marker.getLatLng()));
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    setPicking(false);
    showError("location", "");
    nearby.check(point, fields.category.control.value);
    requestAnimationFrame(revealPoint);
  }

  // The form covers part of the map (a side panel, or a sheet on phones): keep the
  // point where the resident can see it.
  function revealPoint() {
    if (!point || panel.hidden) return;
    const mapBox = map.getContainer().getBoundingClientRect();
    const box = panel.getBoundingClientRect();
    const at = map.latLngToContainerPoint(point);
    const x = at.x + mapBox.left;
    const y = at.y + mapBox.top;
    const covered = x > box.left - 20 && x < box.right + 20 && y > box.top - 30;
    if (!covered) return;
    if (NARROW.matches) {
      map.panBy([0, y - (mapBox.top + (box.top - mapBox.top) / 2)]);
    } else {
      const freeCentre = (box.right + mapBox.right) / 2;
      map.panBy([x - freeCentre, 0]);
    }
  }

  function locate() {
    if (!navigator.geolocation) {
      showError("location", t.locationFailed);
      return;
    }
    fields.hint.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(latlng, Math.max(map.getZoom(), 17));
        setPoint(latlng);
      },
      () => {
        setPicking(!point);
        showError("location", t.locationFailed);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  function onCategoryChange() {
    const category = byCode.get(fields.category.control.value);
    fields.questions.replaceChildren();
    for (const name of [...errors.keys()]) {
      if (name.startsWith("answers.")) errors.delete(name);
    }
    for (const question of category?.questions ?? []) {
      const field = questionField(question, t);
      errors.set(`answers.${question.code}`, field.error);
      fields.questions.append(field.wrapper);
    }
    showError("category", "");
    nearby.check(point, fields.category.control.value);
  }

  function updateCounter() {
    const length = sentLength(fields.description.control.value);
    fields.counter.textContent = interpolate(t.counter, {
      count: length,
      max: config.maxDescription,
    });
    fields.counter.classList.toggle("is-over", length > config.maxDescription);
  }

  function checkPhotos() {
    const files = [...fields.photos.control.files];
    if (files.length > config.maxPhotos) {
      return interpolate(t.tooManyPhotos, { max: config.maxPhotos });
    }
    const wrong = files.find((file) => !PHOTO_TYPES.includes(file.type));
    return wrong ? interpolate(t.wrongPhotoType, { name: wrong.name }) : "";
  }

  // What can be told without the server; the first problem gets the focus.
  function checkLocally() {
    const description = fields.description.control.value.trim();
    const problems = [
      ["location", point ? "" : t.needPoint],
      ["category", fields.category.control.value ? "" : t.needCategory],
      ["description", description ? "" : t.needDescription],
      [
        "description",
        sentLength(description) > config.maxDescription
          ? interpolate(t.tooLong, { max: config.maxDescription })
          : "",
      ],
      ["photos", checkPhotos()],
    ].filter(([, message]) => message);
    for (const [field, message] of problems) showError(field, message);
    return problems.length === 0;
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    if (!checkLocally()) return focusFirstError();
    fields.submit.disabled = true;
    fields.submit.textContent = t.sending;
    try {
      const created = await postForm(config.submitUrl, formData());
      showSuccess(created);
    } catch (error) {
      if (error instanceof ApiError) showError(error.field, error.message);
      else showError("", interpolate(t.failed, { reason: t.networkError }));
      focusFirstError();
    } finally {
      fields.submit.disabled = false;
      fields.submit.textContent = t.submit;
    }
  }

  function formData() {
    const data = new FormData(form);
    data.delete("show_name");
    if (fields.showName.checked) data.set("show_name", "true");
    data.delete("photos");
    for (const file of fields.photos.control.files) data.append("photos", file);
    data.set("lat", point.lat.toFixed(6));
    data.set("lon", point.lng.toFixed(6));
    return data;
  }

  function showSuccess(created) {
    const page = element("a", "report-success__link", t.openReport);
    page.href = created.url;
    const manage = element("input", "report-success__manage");
    manage.readOnly = true;
    manage.value = new URL(created.manage_url, window.location.href).href;
    manage.addEventListener("focus", () => manage.select());
    const done = element("button", "report-form__submit", t.done);
    done.type = "button";
    done.addEventListener("click", () => {
      panel.hidden = true;
      openButton.hidden = false;
    });
    success.replaceChildren(
      element("h3", "report-success__title", interpolate(t.sent, { id: created.id })),
      element("p", null, t.sentText),
      element("p", null, [page]),
      element("label", "report-success__label", [t.manageLink, manage]),
      element("p", "report-success__note", t.manageNote),
      done,
    );
    close();
    panel.hidden = false;
    openButton.hidden = true;
    form.hidden = true;
    success.hidden = false;
    onSubmitted(created);
  }

  // An error from the server names a field; lat/lon are the location.
  function showError(field, message) {
    const key = field === "lat" || field === "lon" ? "location" : field;
    const target = errors.get(key) ?? fields.general;
    target.textContent = message;
    target.closest("[data-field]")?.classList.toggle("has-error", Boolean(message));
  }

  function clearErrors() {
    for (const node of [...errors.values(), fields.general]) {
      node.textContent = "";
      node.closest("[data-field]")?.classList.remove("has-error");
    }
  }

  function focusFirstError() {
    const wrapper = form.querySelector(".has-error") ?? fields.general;
    wrapper.scrollIntoView({ block: "nearest" });
    wrapper.querySelector("input, select, textarea, button")?.focus();
  }

  closeButton.addEventListener("click", close);
  fields.cancel.addEventListener("click", close);
  fields.location.querySelector("button").addEventListener("click", locate);
  fields.category.control.addEventListener("change", onCategoryChange);
  fields.description.control.addEventListener("input", updateCounter);
  fields.photos.control.addEventListener("change", () =>
    showError("photos", checkPhotos()),
  );
  form.addEventListener("submit", submit);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !form.hidden) close();
  });
  updateCounter();
  return { open, close };
}

// Multipart forms send line breaks as CRLF: count them as the server will.
function sentLength(text) {
  return text.replace(/\r?\n/g, "\r\n").length;
}

function draftIcon() {
  return L.divIcon({
    className: "draft-pin",
    html: '<span class="draft-pin__shape"></span>',
    iconSize: [30, 30],
    iconAnchor: [15, 30],
  });
}

function reportButton(map, text, onClick) {
  const button = element("button", "report-button", text);
  button.type = "button";
  button.addEventListener("click", onClick);
  const Control = L.Control.extend({
    onAdd() {
      L.DomEvent.disableClickPropagation(button);
      return button;
    },
  });
  new Control({ position: "topleft" }).addTo(map);
  return button;
}

// The form's fields: each with a label and an error line (data-field marks them).
function buildFields(t, config, categories) {
  const errors = {};
  const field = (name, label, control, ...extra) => {
    const error = element("p", "field__error");
    error.id = `report-error-${name}`;
    error.setAttribute("aria-live", "polite");
    control.setAttribute("aria-describedby", error.id);
    errors[name] = error;
    const wrapper = element("div", "field", [
      element("label", "field__label", [element("span", null, label), control]),
      ...extra,
      error,
    ]);
    wrapper.dataset.field = name;
    return { wrapper, control, error };
  };
  const input = (name, type) => {
    const node = element("input");
    Object.assign(node, { name, type });
    return node;
  };

  const hint = element("p", "report-form__hint");
  const locate = element("button", "report-form__locate", t.myLocation);
  locate.type = "button";
  const locationError = element("p", "field__error");
  errors.location = locationError;
  const location = element("div", "field report-form__location", [
    hint,
    locate,
    locationError,
  ]);
  location.dataset.field = "location";

  const select = element("select");
  select.name = "category";
  select.required = true;
  select.append(new Option(t.chooseCategory, ""));
  for (const category of categories) select.append(new Option(category.name, category.code));

  const textarea = element("textarea");
  Object.assign(textarea, { name: "description", rows: 4, required: true });
  textarea.placeholder = t.descriptionHint;
  const counter = element("p", "field__counter");
  counter.setAttribute("aria-live", "polite");

  const photos = input("photos", "file");
  photos.accept = "image/jpeg,image/png,image/webp";
  photos.multiple = true;
  const photosHint = element("p", "field__hint",
    interpolate(t.photosHint, { max: config.maxPhotos }));

  const name = field("name", t.name, input("name", "text"));
  name.control.maxLength = 200;
  name.control.autocomplete = "name";
  const showName = input("show_name", "checkbox");
  const email = field("email", t.email, input("email", "email"));
  email.control.autocomplete = "email";
  const phone = field("phone", t.phone, input("phone", "tel"));
  phone.control.autocomplete = "tel";
  const about = element("fieldset", "report-form__about", [
    element("legend", null, t.aboutYou),
    name.wrapper,
    element("label", "field__check", [showName, element("span", null, t.showName)]),
    email.wrapper,
    phone.wrapper,
    element("p", "field__hint report-form__private", t.contactsNote),
  ]);

  const submit = element("button", "report-form__submit", t.submit);
  submit.type = "submit";
  const cancel = element("button", "report-form__cancel", t.cancel);
  cancel.type = "button";
  const general = element("p", "field__error report-form__general");
  general.setAttribute("role", "alert");

  return {
    location,
    hint,
    category: field("category", t.category, select),
    questions: element("div", "report-form__questions"),
    description: field("description", t.description, textarea, counter),
    counter,
    photos: field("photos", t.photos, photos, photosHint),
    about,
    showName,
    general,
    submit,
    cancel,
    errors,
  };
}
