// What the JSON helpers of shared/api.js do not cover: a file upload that reports its bytes as they go (fetch() has no
// upload progress; XMLHttpRequest's upload events do), and the download of a file that needs the operator key
// (asked for with the key through shared/api.js's send, then saved through a temporary blob link).
import { ApiError, BASE, refusal, send } from "../shared/api.js";
import { el } from "../shared/dom.js";
import { storedKey } from "../shared/operator.js";

function answerOf(xhr) {
  try { return xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { return null; }
}

/** POSTs file to path (under /api/v1) as contentType; onProgress(loaded, total) as the bytes leave. */
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", BASE + path);
    xhr.setRequestHeader("X-API-Key", storedKey() || "");
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.upload.addEventListener("load", () => onProgress(file.size, file.size));
    xhr.addEventListener("load", () => {
      const value = answerOf(xhr);
      if (xhr.status >= 200 && xhr.status < 300) resolve(value);
      else reject(refusal(xhr.status, value || { detail: xhr.statusText }));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, { detail: "network error" })));
    xhr.send(file);
  });
}

/** Downloads path (under /api/v1) to a file named as the answer's Content-Disposition says; returns its name and size. */
export async function download(path) {
  const answer = await send("GET", path, { key: storedKey(), headers: { Accept: "*/*" } });
  const name = /filename="([^"]+)"/.exec(answer.headers.get("content-disposition") || "")?.[1] || "download";
  const blob = await answer.blob();
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, bytes: blob.size };
}
