// The reviewer console: the review queue and one case at a time, over the keyed /v1/reviews API.
// The reviewer's key lives in the `key` variable below and nowhere else: never in localStorage, sessionStorage,
// a cookie or the URL, so closing or reloading the page forgets it. Images arrive through fetch() with the key and are
// shown as blob: URLs, revoked as soon as the reviewer leaves the case. No framework, no build step, no inline script.

/** Plain words for the reason codes a case can carry (docs/api.md, "Decision reasons"). */
const REASONS = {
    document_unreadable: "The document photo could not be decoded.",
    mrz_unreadable: "No machine-readable zone (MRZ) was found or read on the document.",
    mrz_checksum_failed: "A check digit of the document's machine-readable zone fails.",
    document_expired: "The document has expired.",
    underage: "The holder is younger than the minimum age.",
    document_invalid: "The document has an impossible date or a malformed field.",
    no_face_on_document: "No portrait was found on the document.",
    selfie_unreadable: "The selfie could not be decoded.",
    no_face_in_selfie: "No face was found in the selfie.",
    multiple_faces_in_selfie: "The selfie shows a second face.",
    face_mismatch: "The portrait and the selfie score below the face-match threshold.",
    face_match_uncertain: "The face-match score is just below the threshold: look whether it is the same person.",
    "liveness_failed:spoof": "The selfie looks like a print, a screen or a mask (liveness below its threshold).",
    "liveness_failed:static": "The selfie frames are one picture repeated or moved as a whole: nobody moved.",
    "liveness_failed:different_people": "Not every selfie frame shows the same person.",
    "liveness_failed:challenge_not_met": "The selfie frames do not follow the liveness challenge's instruction.",
    "low_quality:face_too_small": "The face in the selfie is too small.",
    "low_quality:blur": "The selfie is blurred.",
    "low_quality:overexposed": "The selfie is overexposed.",
    "low_quality:underexposed": "The selfie is too dark.",
    "low_quality:pose": "The face in the selfie is turned away from the camera.",
    "low_quality:face_cut_off": "The face in the selfie is cut off.",
    document_screen_suspected: "The document photo shows a screen's pixel grid or moiré: it may be a photo of a screen.",
    document_photocopy_suspected: "The document photo has almost no colour: it may be a photocopy.",
    liveness_not_evaluated: "Liveness was not checked (switched off) while the policy requires it.",
    images_unavailable: "The images expired or were deleted before the check ran.",
    processing_failed: "The pipeline failed on every attempt: a fault, not a finding about the person.",
    document_used_by_another_subject: "The same document was verified for another subject.",
    "duplicate_identity:document": "The same document was verified for another subject.",
    "duplicate_identity:face": "The same face belongs to another verified subject.",
    face_match_not_evaluated: "There is no face-match score and nothing explains why.",
    consent_withdrawn: "The subject withdrew consent while the verification ran.",
    mrz_ambiguous: "The document number is ambiguous: the check digits and the glyphs do not settle it (a 6 or a G, a 0 or a filler).",
    mrz_printed_mismatch: "The printed zone disagrees with the machine-readable zone.",
    mrz_data_after_filler: "Filler characters inside a field that no check digit covers.",
    mrz_country_code_corrected: "The machine-readable zone's country code was corrected.",
    unknown_issuing_state: "The issuing state is not a known country code.",
    unknown_nationality: "The nationality is not a known country code.",
    date_incomplete: "A date on the document is incomplete.",
    mrz_unreadable_character: "A character of the machine-readable zone could not be read.",
    mrz_line_length_adjusted: "A machine-readable zone line had the wrong length and was adjusted.",
    impersonation_reported: "Someone reported that this identity is being used by another person.",
};

/** For a code not in the table: its family's words (the part before the colon), else the code itself. */
const REASON_FAMILIES = {
    liveness_failed: "Liveness failed.",
    low_quality: "The selfie's quality is too poor to rely on.",
    duplicate_identity: "The identity collides with another subject.",
};

/**
 * What a reviewer may decide, per kind of case (docs/api.md, POST /v1/reviews/{id}/decision): the words on the two
 * buttons and the reason codes of each, the first approve code being the one `a` uses.
 */
const DECISIONS = {
    verification: {
        approve: "Approve",
        reject: "Reject",
        approveReasons: [["identity_confirmed", "Identity confirmed"], ["false_alarm", "False alarm"]],
        rejectReasons: [
            ["document_fraudulent", "The document is fraudulent"],
            ["document_unreadable", "The document cannot be read"],
            ["face_mismatch", "The faces are not the same person"],
            ["presentation_attack", "A presentation attack (print, screen, mask)"],
            ["duplicate_identity", "The identity belongs to another subject"],
            ["other", "Other (say why in the note)"],
        ],
    },
    impersonation_report: {
        approve: "Uphold",
        reject: "Dismiss",
        approveReasons: [["impersonation_confirmed", "Impersonation confirmed"]],
        rejectReasons: [
            ["false_alarm", "False alarm"],
            ["not_the_subject", "The reported account is not the subject"],
            ["other", "Other (say why in the note)"],
        ],
    },
};

// The only copy of the reviewer's key (see the top of this file).
let key = null;
let keyId = null;
let signedIn = false;
let queue = [];
let next = null;
let selected = 0;
let current = null;
let blobUrls = [];
let busy = false;

const $ = (id) => document.getElementById(id);

/** An API answer that is not 2xx, with the problem's code, title and detail. */
class ApiProblem extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || `HTTP ${status}`);
        this.status = status;
        this.code = problem.code || (problem.type || "").replace("urn:verify:problem:", "") || null;
        this.field = problem.field || null;
    }
}

async function call(path, options = {}) {
    const headers = new Headers(options.headers || {});
    headers.set("Authorization", `Bearer ${key}`);
    const response = await fetch(path, { ...options, headers, cache: "no-store", credentials: "omit" });
    if (response.status === 401 && signedIn) {
        signOut("The key is no longer accepted: sign in again.");
    }

    if (!response.ok) {
        let problem = {};
        try {
            problem = await response.json();
        } catch {
            // Not problem+json: the status says enough.
        }

        throw new ApiProblem(response.status, problem);
    }

    return response;
}

async function callJson(path, options) {
    const response = await call(path, options);
    return response.status === 204 ? null : response.json();
}

function say(text) {
    $("status").textContent = text;
}

function reasonWords(code) {
    if (Object.hasOwn(REASONS, code)) {
        return REASONS[code];
    }

    const family = code.split(":")[0];
    return Object.hasOwn(REASON_FAMILIES, family) ? `${REASON_FAMILIES[family]} (${code})` : code;
}

function reasonList(codes) {
    const list = document.createElement("ul");
    for (const code of codes || []) {
        const item = document.createElement("li");
        item.textContent = reasonWords(code);
        item.title = code;
        item.dataset.code = code;
        list.append(item);
    }

    return list;
}

function waited(seconds) {
    const minutes = Math.floor(seconds / 60);
    if (minutes < 1) {
        return "under a minute";
    }

    const days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), rest = minutes % 60;
    if (days > 0) {
        return `${days} d ${hours} h`;
    }

    return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

function clock(iso) {
    return iso ? new Date(iso).toLocaleString() : "";
}

function caseIdOf(item) {
    return item.case_id || item.verification_id;
}

function show(view) {
    for (const id of ["sign-in", "queue", "case"]) {
        $(id).hidden = id !== view;
    }

    $("who").hidden = view === "sign-in";
}

// ---- Sign-in ----

async function signIn(event) {
    event.preventDefault();
    const input = $("key");
    const text = input.value.trim();
    $("sign-in-error").textContent = "";
    if (text === "") {
        $("sign-in-error").textContent = "Enter your reviewer key.";
        return;
    }

    key = text;
    // The key's id (vk_{id}_{secret}) names this reviewer in claims; it is not secret.
    keyId = /^vk_([^_]+)_/.exec(key)?.[1] ?? null;
    try {
        await loadQueue();
    } catch (error) {
        key = null;
        keyId = null;
        $("sign-in-error").textContent = error instanceof ApiProblem && error.status === 401
            ? "That key is not valid."
            : error instanceof ApiProblem && error.status === 403
                ? "That key is not a reviewer's key."
                : `Could not sign in: ${error.message}`;
        input.focus();
        return;
    }

    input.value = "";
    signedIn = true;
    $("who-key").textContent = keyId ?? "";
    show("queue");
    focusSelected();
}

function signOut(message) {
    leaveCase();
    key = null;
    keyId = null;
    signedIn = false;
    queue = [];
    next = null;
    selected = 0;
    $("queue-rows").replaceChildren();
    show("sign-in");
    $("sign-in-error").textContent = message || "";
    say("");
    $("key").focus();
}

// ---- The queue ----

async function loadQueue(append = false) {
    const page = await callJson(`/v1/reviews?limit=50${append && next ? `&after=${encodeURIComponent(next)}` : ""}`);
    const was = queue[selected] ? caseIdOf(queue[selected]) : null;
    queue = append ? queue.concat(page.items) : page.items;
    next = page.next;
    // The selection stays on the same case when it is still there (a decided one has left: its neighbour takes over).
    const index = queue.findIndex((item) => caseIdOf(item) === was);
    if (index >= 0) {
        selected = index;
    }

    renderQueue();
}

async function refreshQueue() {
    $("queue-error").textContent = "";
    try {
        await loadQueue();
    } catch (error) {
        $("queue-error").textContent = `Could not load the queue: ${error.message}`;
    }
}

function claimText(item) {
    const until = item.claimed_until ? new Date(item.claimed_until) : null;
    if (!item.claimed_by || (until && until < new Date())) {
        return { text: "Open", taken: false };
    }

    if (item.claimed_by === keyId) {
        return { text: "Yours", taken: false };
    }

    return { text: `Taken by ${item.claimed_by}${until ? ` until ${until.toLocaleTimeString()}` : ""}`, taken: true };
}

function renderQueue() {
    const rows = queue.map((item, index) => {
        const row = document.createElement("tr");
        row.dataset.caseId = caseIdOf(item);
        row.tabIndex = -1;
        const claim = claimText(item);
        row.classList.toggle("taken", claim.taken);
        const cells = [
            waited(item.age_seconds ?? 0),
            item.kind === "impersonation_report" ? "Impersonation report" : "Verification",
            item.client_id,
            item.subject_id,
            null,
            claim.text,
        ];
        for (const value of cells) {
            const cell = document.createElement("td");
            if (value === null) {
                cell.append(reasonList(item.reasons));
            } else {
                cell.textContent = value;
            }

            row.append(cell);
        }

        row.lastElementChild.className = "claim";

        const open = document.createElement("button");
        open.type = "button";
        open.textContent = "Open";
        open.setAttribute("aria-label", `Open the case of subject ${item.subject_id}`);
        open.addEventListener("click", (event) => {
            event.stopPropagation();
            openCase(index);
        });
        const action = document.createElement("td");
        action.append(open);
        row.append(action);
        row.addEventListener("click", () => openCase(index));
        return row;
    });
    $("queue-rows").replaceChildren(...rows);
    $("queue-count").textContent = `(${queue.length}${next ? "+" : ""})`;
    $("queue-empty").hidden = queue.length > 0;
    $("queue-table").hidden = queue.length === 0;
    $("more").hidden = !next;
    select(Math.min(selected, Math.max(queue.length - 1, 0)));
}

function select(index) {
    selected = index;
    const rows = $("queue-rows").children;
    for (let i = 0; i < rows.length; i++) {
        rows[i].classList.toggle("selected", i === index);
        rows[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
}

function focusSelected() {
    const row = $("queue-rows").children[selected];
    if (row) {
        row.focus();
        row.scrollIntoView({ block: "nearest" });
    }
}

function move(step) {
    if (queue.length === 0) {
        return;
    }

    select(Math.min(Math.max(selected + step, 0), queue.length - 1));
    focusSelected();
}

// ---- One case ----

async function openCase(index) {
    const item = queue[index];
    if (!item || busy) {
        return;
    }

    select(index);
    busy = true;
    $("queue-error").textContent = "";
    const id = caseIdOf(item);
    try {
        const claim = await callJson(`/v1/reviews/${id}/claim`, { method: "POST" });
        // The queue behind the case says the truth meanwhile: this reviewer holds it.
        Object.assign(item, { claimed_by: claim.claimed_by, claimed_until: claim.claimed_until });
        renderQueue();
        current = await callJson(`/v1/reviews/${id}`);
    } catch (error) {
        busy = false;
        await refreshQueue();
        $("queue-error").textContent = error.code === "case_claimed"
            ? `Another reviewer holds this case: ${error.message}`
            : error.code === "case_decided"
                ? "This case was decided meanwhile."
                : `Could not open the case: ${error.message}`;
        return;
    }

    busy = false;
    renderCase();
    show("case");
    say("");
    $("case-title").focus();
}

function renderCase() {
    const view = current;
    $("case-id").textContent = view.case_id;
    $("case-client").textContent = view.client_id;
    $("case-subject").textContent = view.subject_id;
    $("case-waiting").textContent = clock(view.waiting_since);
    $("case-claim").textContent = view.claimed_until ? new Date(view.claimed_until).toLocaleTimeString() : "";
    $("reasons").replaceChildren(...reasonList(view.reasons).children);
    renderScores(view.result);
    renderDecision(DECISIONS[view.kind] || DECISIONS.verification, view.can_approve !== false);
    $("note").value = "";
    $("decision-error").textContent = "";
    $("document-images").replaceChildren();
    $("document-images").hidden = true;
    const images = new Map((view.images || []).map((image) => [image.name, image.href]));
    $("show-document").disabled = !view.images_available || !["document_front", "document_back"].some((name) => images.has(name));
    $("images-missing").hidden = view.images_available !== false;
    for (const name of ["portrait", "selfie"]) {
        const img = $(name);
        img.removeAttribute("src");
        if (view.images_available !== false && images.has(name)) {
            loadImage(images.get(name), img, view.case_id);
        }
    }
}

function options(select, reasons, placeholder) {
    const items = reasons.map(([code, words]) => new Option(words, code));
    if (placeholder) {
        items.unshift(new Option(placeholder, "", true, true));
    }

    select.replaceChildren(...items);
}

function renderDecision(kind, canApprove) {
    $("approve-word").textContent = kind.approve;
    $("reject-word").textContent = kind.reject;
    $("approve-label").textContent = `${kind.approve} because`;
    $("reject-label").textContent = `${kind.reject} because`;
    options($("approve-reason"), kind.approveReasons, null);
    options($("reject-reason"), kind.rejectReasons, "Choose a reason…");
    $("approve").disabled = !canApprove;
    $("cannot-approve").hidden = canApprove;
}

/** Fetches an image with the key and shows it as a blob: URL, unless the reviewer has left the case meanwhile. */
async function loadImage(href, img, caseId) {
    try {
        const blob = await (await call(href)).blob();
        if (current?.case_id !== caseId) {
            return;
        }

        const url = URL.createObjectURL(blob);
        blobUrls.push(url);
        img.src = url;
    } catch (error) {
        if (current?.case_id === caseId) {
            img.alt = `${img.alt} (not available: ${error.message})`;
        }
    }
}

async function showDocument() {
    const view = current;
    const holder = $("document-images");
    if (!holder.hidden) {
        holder.hidden = true;
        $("show-document").textContent = "Show the document images";
        return;
    }

    holder.hidden = false;
    $("show-document").textContent = "Hide the document images";
    if (holder.children.length > 0) {
        return;
    }

    const labels = { document_front: "Document, front", document_back: "Document, back" };
    for (const image of (view.images || []).filter((i) => Object.hasOwn(labels, i.name))) {
        const figure = document.createElement("figure");
        const img = document.createElement("img");
        img.alt = labels[image.name];
        const caption = document.createElement("figcaption");
        caption.textContent = labels[image.name];
        figure.append(img, caption);
        holder.append(figure);
        loadImage(image.href, img, view.case_id);
    }
}

function number(value, digits = 4) {
    return typeof value === "number" ? value.toFixed(digits) : "—";
}

function verdict(score, threshold) {
    if (typeof score !== "number" || typeof threshold !== "number") {
        return { text: "not evaluated", css: "neutral" };
    }

    return score >= threshold ? { text: "✓ passes", css: "pass" } : { text: "✗ below the threshold", css: "fail" };
}

function stageVerdict(stage) {
    if (!stage) {
        return { text: "—", css: "neutral" };
    }

    return { text: stage.replaceAll("_", " "), css: stage === "passed" ? "pass" : stage === "failed" ? "fail" : "neutral" };
}

function quality(selfie) {
    if (!selfie) {
        return "—";
    }

    const parts = [];
    if (typeof selfie.face_size_pixels === "number") {
        parts.push(`face ${selfie.face_size_pixels} px`);
    }

    if (typeof selfie.sharpness === "number") {
        parts.push(`sharpness ${selfie.sharpness.toFixed(1)}`);
    }

    if (typeof selfie.mean_luma === "number") {
        parts.push(`brightness ${selfie.mean_luma.toFixed(0)}`);
    }

    if (typeof selfie.yaw_degrees === "number") {
        parts.push(`yaw ${selfie.yaw_degrees.toFixed(0)}°`);
    }

    return parts.join(", ") || "—";
}

function renderScores(result) {
    const rows = [];
    const add = (check, score, threshold, outcome) => {
        const row = document.createElement("tr");
        for (const text of [check, score, threshold]) {
            const cell = document.createElement("td");
            cell.textContent = text;
            row.append(cell);
        }

        const cell = document.createElement("td");
        cell.textContent = outcome.text;
        cell.className = outcome.css;
        row.append(cell);
        row.dataset.check = check;
        rows.push(row);
    };

    $("no-result").hidden = !!result;
    if (result) {
        const far = typeof result.false_accept_rate === "number" ? ` (false accept rate ${result.false_accept_rate})` : "";
        add(`Face match${far}`, number(result.face_match_score), number(result.face_match_threshold),
            verdict(result.face_match_score, result.face_match_threshold));
        if (typeof result.liveness_score === "number" || result.stages?.liveness) {
            const outcome = typeof result.liveness_score === "number"
                ? verdict(result.liveness_score, result.liveness_threshold)
                : stageVerdict(result.stages?.liveness);
            add("Liveness", number(result.liveness_score), number(result.liveness_threshold), outcome);
        }

        add("Capture quality", quality(result.selfie_quality), "Quality settings", stageVerdict(result.stages?.capture_quality));
        add("Document checks", `${(result.document_findings || []).length} finding(s)`, "—", stageVerdict(result.stages?.document));
    }

    $("score-rows").replaceChildren(...rows);
}

/** Leaves the case view: forgets its images (revoking their blob: URLs) and, unless it was decided, releases the claim. */
function leaveCase(release = false) {
    for (const url of blobUrls) {
        URL.revokeObjectURL(url);
    }

    blobUrls = [];
    for (const img of document.querySelectorAll("#case img")) {
        img.removeAttribute("src");
    }

    $("document-images").replaceChildren();
    const left = current;
    current = null;
    if (release && left && key) {
        return call(`/v1/reviews/${left.case_id}/claim`, { method: "DELETE" }).catch(() => {
            // The claim lapses on its own after its time; nothing else to do.
        });
    }

    return Promise.resolve();
}

async function backToQueue() {
    await leaveCase(true);
    show("queue");
    await refreshQueue();
    focusSelected();
}

async function decide(decision, reason) {
    if (!current || busy) {
        return;
    }

    if (!reason) {
        $("decision-error").textContent = "Choose a reason for the rejection.";
        $("reject-reason").focus();
        return;
    }

    const id = current.case_id;
    const note = $("note").value.trim();
    busy = true;
    $("decision-error").textContent = "";
    let outcome;
    try {
        outcome = await callJson(`/v1/reviews/${id}/decision`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(note ? { decision, reason, note } : { decision, reason }),
        });
    } catch (error) {
        busy = false;
        $("decision-error").textContent = `The decision was not recorded: ${error.message}`;
        return;
    }

    busy = false;
    leaveCase(false);
    show("queue");
    say(`Case ${id}: ${outcome.outcome}${outcome.status ? `; the verification is now ${outcome.status.replaceAll("_", " ")}` : ""}.`);
    await refreshQueue();
    focusSelected();
}

function approve() {
    if (!$("approve").disabled) {
        decide("approve", $("approve-reason").value);
    }
}

function reject() {
    decide("reject", $("reject-reason").value);
}

// ---- Keyboard ----

function typing(target) {
    return target instanceof HTMLElement
        && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || key === null || event.defaultPrevented) {
        return;
    }

    if (!$("case").hidden) {
        if (typing(event.target)) {
            // In a field only Escape does something: it leaves the field (a second Escape leaves the case).
            if (event.key === "Escape") {
                event.target.blur();
            }

            return;
        }

        if (event.key === "Escape") {
            event.preventDefault();
            backToQueue();
        } else if (event.key === "a") {
            event.preventDefault();
            approve();
        } else if (event.key === "r") {
            event.preventDefault();
            $("reject-reason").focus();
        }

        return;
    }

    if (!$("queue").hidden && !typing(event.target)) {
        if (event.key === "j") {
            event.preventDefault();
            move(1);
        } else if (event.key === "k") {
            event.preventDefault();
            move(-1);
        } else if (event.key === "Enter" && !(event.target instanceof HTMLButtonElement)) {
            event.preventDefault();
            openCase(selected);
        }
    }
}

function onRejectReasonKey(event) {
    if (event.key === "Enter") {
        event.preventDefault();
        reject();
    }
}

function start() {
    $("sign-in-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => signOut(""));
    $("refresh").addEventListener("click", refreshQueue);
    $("more").addEventListener("click", () => loadQueue(true).catch((error) => {
        $("queue-error").textContent = `Could not load more: ${error.message}`;
    }));
    $("back").addEventListener("click", backToQueue);
    $("show-document").addEventListener("click", showDocument);
    $("approve").addEventListener("click", approve);
    $("reject").addEventListener("click", reject);
    $("reject-reason").addEventListener("keydown", onRejectReasonKey);
    $("decision").addEventListener("submit", (event) => event.preventDefault());
    document.addEventListener("keydown", onKey);
    // Leaving the page forgets the images; the claim lapses on its own.
    window.addEventListener("pagehide", () => leaveCase(false));
    $("key").focus();
}

start();
