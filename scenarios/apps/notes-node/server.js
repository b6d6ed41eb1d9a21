// notes-node: a tiny notes service. One static page and a JSON API on Express.
// Notes are kept in NOTES_FILE (in the image: /data/notes.json), so they outlive
// the container only if /data is a volume.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const express = require("express");

const PORT = Number(process.env.PORT) || 3000;
const NOTES_FILE = process.env.NOTES_FILE || path.join(__dirname, "data", "notes.json");

function loadNotes() {
  try {
    return JSON.parse(fs.readFileSync(NOTES_FILE, "utf8"));
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw err;
  }
}

function saveNotes(notes) {
  fs.mkdirSync(path.dirname(NOTES_FILE), { recursive: true });
  const tmp = `${NOTES_FILE}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(notes, null, 2));
  fs.renameSync(tmp, NOTES_FILE);
}

const app = express();
app.use(express.json());
app.use(express.static(path.join(__dirname, "public")));

app.get("/api/notes", (req, res) => {
  res.json(loadNotes());
});

app.post("/api/notes", (req, res) => {
  const text = typeof req.body?.text === "string" ? req.body.text.trim() : "";
  if (!text) return res.status(400).json({ error: "text is required" });
  const notes = loadNotes();
  const note = { id: Math.max(0, ...notes.map((n) => n.id)) + 1, text, created: new Date().toISOString() };
  notes.push(note);
  saveNotes(notes);
  res.status(201).json(note);
});

app.delete("/api/notes/:id", (req, res) => {
  const notes = loadNotes();
  const kept = notes.filter((n) => n.id !== Number(req.params.id));
  if (kept.length === notes.length) return res.status(404).json({ error: "no such note" });
  saveNotes(kept);
  res.status(204).end();
});

app.get("/healthz", (req, res) => {
  res.json({ status: "ok" });
});

const server = app.listen(PORT, () => {
  console.log(`notes listening on port ${PORT}, notes in ${NOTES_FILE}`);
});

// As PID 1 in a container, node gets no default SIGTERM handling: stop cleanly ourselves,
// or `docker stop` waits its full grace period and then kills us.
process.on("SIGTERM", () => {
  console.log("SIGTERM received, closing");
  server.close(() => process.exit(0));
});
