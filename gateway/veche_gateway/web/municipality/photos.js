// A pending practice's photos on the municipality page: what was uploaded (thumbnails read with the key, since an
// <img> cannot send it), each with its text alternative and a Remove button, and an upload of one more (JPEG, PNG
// or WebP; the gateway turns it upright, strips its metadata and refuses what it cannot read or what is too big).
// Photos change only while the practice waits for moderation: moderators see them with it, the public once approved.
import { call, imageData, seg } from "../shared/api.js";
import { $, el } from "../shared/dom.js";
import { t } from "../shared/i18n.js";

export const MOST = 4;  // the submissions service keeps at most four photos a practice
const TYPES = ["image/jpeg", "image/png", "image/webp"];
const panel = { practice: null, key: null, title: "", changed: null };

const base = () => `/municipality/practices/${seg(panel.practice.id)}/photos`;
const fieldError = (text) => {
  $("photo-file").setAttribute("aria-invalid", text ? "true" : "false");
  $("photo-file-error").textContent = text;
};

/** What a refused upload means, in words (413 names the gateway's limit in bytes). */
export function uploadRefusal(error) {
  if (error.status === 413) {
    const bytes = Number((/(\d+) bytes/.exec(error.message) || [])[1]);
    return t("photoTooBig", { mb: bytes ? Math.floor(bytes / 1048576) : "?" });
  }
  if (error.code === "unsupported_media_type") return t("photoType");
  if (error.code === "invalid_photo") return t("photoUnreadable", { why: error.message });
  if (error.code === "too_many_photos") return t("photoMost", { n: MOST });
  return t("failed", { why: error.message });
}

function photoItem(photo) {
  const image = el("img", { alt: photo.alt || t("photoNoAlt"), width: 160 });
  imageData(`${base()}/${seg(photo.id)}/thumb`, { key: panel.key }).then((url) => { image.src = url; })
    .catch(() => { image.alt = t("photoNotShown"); });
  const remove = el("button", { type: "button", class: "secondary", "aria-label": t("photoRemoveThis", { alt: photo.alt || photo.id }),
    onclick: () => call("DELETE", `${base()}/${seg(photo.id)}`, { key: panel.key }).then(show).catch((e) => fieldError(uploadRefusal(e))) },
  t("photoRemove"));
  return el("li", { "data-photo": photo.id },
    el("figure", {}, image, el("figcaption", { text: photo.alt || t("photoNoAlt") })), remove);
}

/** Draws the panel for the practice as the API just gave it, and tells the page it changed. */
function show(practice) {
  if (panel.practice && practice.version !== panel.practice.version && panel.changed) panel.changed(practice);
  panel.practice = practice;
  const photos = practice.photos || [];
  $("photos-heading").textContent = t("photosOf", { title: panel.title });
  $("photo-list").replaceChildren(...photos.map(photoItem));
  $("photo-none").hidden = photos.length > 0;
  $("photo-form").hidden = photos.length >= MOST;
  $("photo-full").hidden = photos.length < MOST;
}

/** Opens the panel for a pending practice (title: its name in the page's language); changed(practice) follows
    every upload and removal (the practice's version moves with them). */
export function openPhotos(practice, key, title, changed) {
  Object.assign(panel, { practice: null, key, title, changed });
  fieldError("");
  $("photos-panel").hidden = false;
  show(practice);
  $("photos-heading").focus();
}

export function closePhotos() {
  $("photos-panel").hidden = true;
  panel.practice = null;
}

function upload(event) {
  event.preventDefault();
  fieldError("");
  const file = $("photo-file").files[0];
  if (!file) { fieldError(t("photoChoose")); $("photo-file").focus(); return; }
  if (!TYPES.includes(file.type)) { fieldError(t("photoType")); $("photo-file").focus(); return; }
  $("photo-upload").disabled = true;
  $("photo-status").textContent = t("photoSending");
  const alt = encodeURIComponent($("photo-alt").value.trim());
  call("POST", `${base()}?alt=${alt}`, { body: file, key: panel.key })
    .then((practice) => {
      $("photo-form").reset();
      $("photo-status").textContent = t("photoAdded");
      show(practice);
    })
    .catch((error) => { $("photo-status").textContent = ""; fieldError(uploadRefusal(error)); $("photo-file").focus(); })
    .finally(() => { $("photo-upload").disabled = false; });
}

$("photo-form").addEventListener("submit", upload);
$("photo-close").addEventListener("click", closePhotos);
