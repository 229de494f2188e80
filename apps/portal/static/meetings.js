// Meetings page: upload audio, follow the job, transcript with speaker colours, names, minutes.
"use strict";

(() => {
  const { t, el, api, apiJson, guard, followJob, download } = Portal;
  const PALETTE_SIZE = 6;

  let meetingId = null;
  let meeting = null;

  function clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds || 0));
    const hours = Math.floor(whole / 3600);
    const minutes = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
    const rest = String(whole % 60).padStart(2, "0");
    return hours ? `${hours}:${minutes}:${rest}` : `${minutes}:${rest}`;
  }

  function speakerName(label) {
    return (meeting.speaker_names || {})[label] || label;
  }

  function speakerColour(label) {
    const index = meeting.transcript.speakers.indexOf(label);
    return `spk-${(index < 0 ? 0 : index) % PALETTE_SIZE}`;
  }

  function renderTranscript() {
    const transcript = meeting.transcript;
    document.getElementById("meeting-duration").textContent = t("meetings_duration", { duration: clock(transcript.duration) });
    const lines = transcript.utterances.map((utterance) =>
      el("p", { class: `utterance ${speakerColour(utterance.speaker)}` },
        el("time", { datetime: `PT${Math.floor(utterance.start)}S` }, clock(utterance.start)),
        el("strong", { class: "speaker" }, speakerName(utterance.speaker)),
        el("span", {}, utterance.text)));
    document.getElementById("transcript").replaceChildren(
      ...(lines.length ? lines : [el("p", { class: "muted" }, t("meetings_no_speech"))]));
  }

  function renderSpeakers() {
    const rows = meeting.transcript.speakers.map((label) =>
      el("div", { class: "speaker-row" },
        el("span", { class: `swatch ${speakerColour(label)}` }),
        el("label", { for: `speaker-${label}` }, label),
        el("input", {
          id: `speaker-${label}`, name: label, value: (meeting.speaker_names || {})[label] || "",
          placeholder: label, "aria-label": t("meetings_speaker_name", { label }),
        })));
    document.getElementById("speakers").replaceChildren(...rows);
  }

  function itemList(items, describe) {
    return el("ul", {}, items.map((item) => el("li", {}, describe(item))));
  }

  function timed(item) {
    return item.time === null || item.time === undefined ? item.text : `${item.text}（${clock(item.time)}）`;
  }

  function renderMinutes() {
    const minutes = meeting.minutes;
    const target = document.getElementById("minutes");
    if (!minutes) {
      target.replaceChildren(el("p", { class: "muted" }, t("meetings_no_minutes")));
      return;
    }
    const parts = [];
    if (minutes.summary) parts.push(el("h3", {}, t("meetings_summary")), el("p", {}, minutes.summary));
    if (minutes.topics.length) parts.push(el("h3", {}, t("meetings_topics")), itemList(minutes.topics, timed));
    if (minutes.decisions.length) parts.push(el("h3", {}, t("meetings_decisions")), itemList(minutes.decisions, timed));
    if (minutes.action_items.length) {
      parts.push(el("h3", {}, t("meetings_actions")), itemList(minutes.action_items, (item) => [
        item.task,
        item.owner ? `；${t("meetings_owner")}：${item.owner}` : "",
        item.due ? `；${t("meetings_due")}：${item.due}` : "",
      ].join("")));
    }
    // Items the model wrote but the transcript does not support stay visible for a reviewer.
    if (minutes.unsupported && minutes.unsupported.length) {
      parts.push(el("h3", { class: "unsupported" }, t("meetings_unsupported")), itemList(minutes.unsupported, (item) =>
        `${item.text}（${t("meetings_unsupported_item", { line: item.line })}）`));
    }
    if (minutes.speakers.length) {
      parts.push(el("h3", {}, t("meetings_by_speaker")));
      for (const section of minutes.speakers) {
        parts.push(el("h4", { class: speakerColour(section.speaker) }, speakerName(section.speaker)),
          itemList(section.points, timed));
      }
    }
    target.replaceChildren(...parts);
  }

  function renderMeeting(result) {
    meeting = result;
    renderTranscript();
    renderSpeakers();
    renderMinutes();
    document.getElementById("meeting-card").hidden = false;
  }

  document.getElementById("upload-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const bar = document.getElementById("job-progress");
    const status = document.getElementById("job-status");
    guard(document.getElementById("upload"), async () => {
      document.getElementById("job").hidden = false;
      bar.value = 0;
      status.textContent = t("working");
      try {
        const form = new FormData();
        form.append("file", event.target.file.files[0]);
        const spoken = event.target.language.value;
        form.append("options", JSON.stringify(spoken ? { language: spoken } : {}));
        const response = await api("/api/v1/meetings", { method: "POST", form });
        const accepted = await response.json();
        const job = await followJob(accepted.job_id, (fraction, message) => {
          bar.value = fraction;
          status.textContent = t("job_progress", { percent: Math.round(fraction * 100), message });
        });
        meetingId = job.result.meeting_id;
        renderMeeting(await apiJson(`/api/v1/meetings/${meetingId}`));
        status.textContent = t("done");
      } catch (error) {
        // A failed upload or job leaves no half-filled bar behind, and the error box shows what went wrong.
        document.getElementById("job").hidden = true;
        bar.value = 0;
        status.textContent = "";
        throw error;
      }
    });
  });

  document.getElementById("speakers-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guard(document.getElementById("save-speakers"), async () => {
      const names = {};
      for (const input of document.querySelectorAll("#speakers input")) {
        if (input.value.trim()) names[input.name] = input.value.trim();
      }
      renderMeeting(await apiJson(`/api/v1/meetings/${meetingId}/speakers`, { method: "PATCH", json: { names } }));
      document.getElementById("speakers-status").textContent = t("saved");
    });
  });

  document.getElementById("download-docx").addEventListener("click", (event) => {
    guard(event.currentTarget, () => download(`/api/v1/meetings/${meetingId}?format=docx`, "meeting.docx"));
  });
  document.getElementById("download-md").addEventListener("click", (event) => {
    guard(event.currentTarget, () => download(`/api/v1/meetings/${meetingId}?format=md`, "meeting.md"));
  });
})();
