// The session timeout warning and the keeping of what was typed (docs/security.md, "Sessions").
//
// A signed-in page's <body> says how long its session has left (data-session-seconds), how
// long a session lasts without a request (data-session-length) and when to warn
// (data-session-warning-seconds). That long before the
// end, the dialog of includes/session_timeout.html opens: "Stay signed in" posts to the
// keep-alive URL, which starts the count again; at the end, the fields of the page's forms are
// kept in sessionStorage (never passwords nor files) and the dialog's sign-out form is sent,
// leading to the sign-in page and then back to this page, where they are put back.

const KEPT = "scr-kept-form";
// Every tab of the site shares one end: a request in any of them moves it on.
const ENDS = "scr-session-ends";
// What was typed is kept for a working day at most, and only for the person who typed it.
const KEEP_FOR_MS = 8 * 60 * 60 * 1000;
const SKIPPED = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

const body = document.body;
const sessionSeconds = Number(body.dataset.sessionSeconds || 0);
const sessionLength = Number(body.dataset.sessionLength || 0);
const warningSeconds = Number(body.dataset.sessionWarningSeconds || 0);
const user = body.dataset.sessionUser || "";
const signedIn = sessionLength > 0;

// What was typed

function pagePath() {
  return window.location.pathname + window.location.search;
}

function keptForms() {
  return [...document.querySelectorAll("main form")].filter(
    (form) => (form.getAttribute("method") || "").toLowerCase() === "post",
  );
}

// A form is known by its action and its place among the page's forms with that action.
function formKey(form, forms) {
  const action = form.getAttribute("action") || "";
  const same = forms.filter((other) => (other.getAttribute("action") || "") === action);
  return `${action}#${same.indexOf(form)}`;
}

function fields(form) {
  return [...form.elements].filter(
    (field) => field.name && !field.disabled && !SKIPPED.has(field.type) && field.name !== "csrfmiddlewaretoken",
  );
}

function changed(form) {
  return fields(form).some((field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
    return field.value !== field.defaultValue;
  });
}

function valuesOf(form) {
  const values = {};
  for (const field of fields(form)) {
    const list = (values[field.name] ||= []);
    if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked) list.push(field.value);
    } else if (field.tagName === "SELECT") {
      list.push([...field.selectedOptions].map((option) => option.value));
    } else {
      list.push(field.value);
    }
  }
  return values;
}

function putBack(form, values) {
  const seen = {};
  for (const field of fields(form)) {
    const saved = values[field.name];
    if (saved === undefined) continue;
    const index = (seen[field.name] = (seen[field.name] ?? -1) + 1);
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = saved.includes(field.value);
    } else if (field.tagName === "SELECT") {
      const chosen = saved[index] || [];
      for (const option of field.options) option.selected = chosen.includes(option.value);
    } else if (index < saved.length) {
      field.value = saved[index];
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

function keep(reason, only) {
  const forms = keptForms();
  const kept = forms
    .filter((form) => (only ? form === only : changed(form)))
    .map((form) => ({ key: formKey(form, forms), values: valuesOf(form) }));
  if (kept.length === 0) return;
  const entry = { user, path: pagePath(), reason, savedAt: Date.now(), forms: kept };
  try {
    window.sessionStorage.setItem(KEPT, JSON.stringify(entry));
  } catch {
    // Storage full or refused: nothing more can be done for it.
  }
}

function readKept() {
  try {
    return JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
  } catch {
    return null;
  }
}

function forget() {
  window.sessionStorage.removeItem(KEPT);
}

// On each page: put back what this person typed here, or say on the sign-in page that it is kept.
function restoreOrAnnounce() {
  let entry = readKept();
  if (!entry) return;
  if (Date.now() - entry.savedAt > KEEP_FOR_MS) {
    forget();
    return;
  }
  if (!signedIn) {
    // A form sent after the session had ended lands here: what it carried is kept.
    if (entry.reason === "submit") {
      entry = { ...entry, reason: "kept" };
      window.sessionStorage.setItem(KEPT, JSON.stringify(entry));
    }
    const notice = document.querySelector("[data-session-kept]");
    if (notice) notice.hidden = false;
    return;
  }
  // Someone else signed in, or the form was sent and answered while signed in: nothing to put back.
  if (entry.user !== user || entry.reason === "submit") {
    forget();
    return;
  }
  if (entry.path !== pagePath()) return;
  const forms = keptForms();
  let restored = false;
  for (const saved of entry.forms) {
    const form = forms.find((candidate) => formKey(candidate, forms) === saved.key);
    if (form) {
      putBack(form, saved.values);
      restored = true;
    }
  }
  forget();
  const banner = document.querySelector("[data-session-restored]");
  if (restored && banner) {
    banner.hidden = false;
    banner.scrollIntoView();
  }
}

// The timer

const dialog = document.getElementById("session-timeout");
let endsAt = 0;
let signingOut = false;
let returnFocusTo = null;
let lastAnnounced = null;

function startCount(seconds) {
  // A few seconds early: the server started its count when it answered, a little before now.
  const margin = Math.min(5, sessionLength / 20);
  endsAt = Date.now() + (seconds - margin) * 1000;
  try {
    window.localStorage.setItem(ENDS, String(endsAt));
  } catch {
    // Without storage, tabs do not hear of each other's requests; each still keeps its own count.
  }
}

function inWords(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

// Said to screen readers at the whole minutes and at 30 and 10 seconds, not every second.
function announcement(seconds) {
  if (seconds > 60) return `${Math.ceil(seconds / 60)} minutes`;
  if (seconds > 30) return "1 minute";
  if (seconds > 10) return "30 seconds";
  return "10 seconds";
}

function showCountdown(seconds) {
  dialog.querySelector("[data-session-countdown]").textContent = inWords(seconds);
  const said = announcement(seconds);
  if (said !== lastAnnounced) {
    lastAnnounced = said;
    dialog.querySelector("[data-session-announce]").textContent =
      `For your security, we will sign you out in ${said}.`;
  }
}

function openWarning() {
  if (dialog.open) return;
  returnFocusTo = document.activeElement;
  lastAnnounced = null;
  dialog.showModal();
  dialog.querySelector("[data-session-stay]").focus();
}

function closeWarning() {
  if (!dialog.open) return;
  dialog.close();
  if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus();
}

function signOut() {
  if (signingOut) return;
  signingOut = true;
  keep("timeout");
  const form = dialog.querySelector("[data-session-sign-out]");
  const next = document.createElement("input");
  next.type = "hidden";
  next.name = "next";
  next.value = `${dialog.dataset.signInUrl}?timeout=1&next=${encodeURIComponent(pagePath())}`;
  form.append(next);
  form.submit();
}

function tick() {
  if (signingOut) return;
  let shared = 0;
  try {
    shared = Number(window.localStorage.getItem(ENDS) || 0);
  } catch {
    // No storage: this tab's own count.
  }
  if (shared > endsAt) endsAt = shared;
  const left = Math.ceil((endsAt - Date.now()) / 1000);
  if (left <= 0) {
    signOut();
  } else if (left <= warningSeconds) {
    openWarning();
    showCountdown(left);
  } else {
    closeWarning();
  }
}

async function staySignedIn() {
  const token = dialog.querySelector("[name=csrfmiddlewaretoken]").value;
  let response;
  try {
    response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
  } catch {
    return; // No answer: the warning stays, and the count goes on.
  }
  if (response.status === 204) {
    startCount(sessionLength);
    closeWarning();
  } else {
    signOut();
  }
}

function start() {
  startCount(sessionSeconds);
  dialog.querySelector("[data-session-stay]").addEventListener("click", staySignedIn);
  // Escape keeps the person signed in, as the button does.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === ENDS) tick();
  });
  // Timers sleep with the computer and slow down in hidden tabs: count again on return.
  document.addEventListener("visibilitychange", tick);
  window.addEventListener("focus", tick);
  window.setInterval(tick, 1000);
}

// Forms

document.addEventListener("submit", (event) => {
  const form = event.target;
  const signOutUrl = dialog?.querySelector("[data-session-sign-out]").getAttribute("action");
  if (signOutUrl && form.getAttribute("action") === signOutUrl) {
    // Signing out by choice (the header's button or the dialog's) leaves nothing behind.
    forget();
    return;
  }
  if (!signedIn || !keptForms().includes(form)) return;
  if (Date.now() >= endsAt) {
    // The session has ended: keep what was typed and sign in again, rather than lose it.
    event.preventDefault();
    signOut();
    return;
  }
  // Kept until the answer comes: if the session ended meanwhile, the answer is the sign-in page.
  keep("submit", form);
});

restoreOrAnnounce();
if (signedIn && dialog) start();
