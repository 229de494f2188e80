"""Give each word to a speaker and group words into utterances."""

from __future__ import annotations

from services.meetings.results import Turn, Utterance, Word

# A pause longer than this starts a new utterance even for the same speaker, in seconds.
UTTERANCE_GAP_SECONDS = 1.5


def assign_speakers(words: list[Word], turns: list[Turn], *, default_speaker: str = "SPEAKER_00") -> list[Word]:
    """Label each word with the speaker whose turns overlap it most.

    A word outside every turn goes to the nearest turn. A word overlapped by
    turns of two speakers keeps the larger share and is flagged `overlap`, so
    overlapping speech keeps both speakers' words on their own sides.
    """
    if not turns:
        return [word.model_copy(update={"speaker": default_speaker}) for word in words]

    ordered = sorted(turns, key=lambda turn: turn.start)
    labelled: list[Word] = []
    for word in words:
        shares: dict[str, float] = {}
        for turn in ordered:
            if turn.start >= word.end:
                break
            overlap = min(word.end, turn.end) - max(word.start, turn.start)
            if overlap > 0:
                shares[turn.speaker] = shares.get(turn.speaker, 0.0) + overlap
        if shares:
            speaker = max(shares, key=lambda name: shares[name])
        else:
            middle = (word.start + word.end) / 2
            speaker = min(ordered, key=lambda turn: _distance(turn, middle)).speaker
        labelled.append(word.model_copy(update={"speaker": speaker, "overlap": len(shares) > 1}))
    return labelled


def group_utterances(words: list[Word]) -> list[Utterance]:
    """Join consecutive words of one speaker into utterances, breaking at long pauses."""
    utterances: list[Utterance] = []
    pieces: list[Word] = []
    for word in words:
        if pieces and (word.speaker != pieces[-1].speaker or word.start - pieces[-1].end > UTTERANCE_GAP_SECONDS):
            utterances.append(_utterance(pieces))
            pieces = []
        pieces.append(word)
    if pieces:
        utterances.append(_utterance(pieces))
    return utterances


def speakers_in_order(utterances: list[Utterance]) -> list[str]:
    seen: list[str] = []
    for utterance in utterances:
        if utterance.speaker not in seen:
            seen.append(utterance.speaker)
    return seen


def _utterance(words: list[Word]) -> Utterance:
    return Utterance(
        start=words[0].start,
        end=words[-1].end,
        speaker=words[0].speaker or "SPEAKER_00",
        text=join_words([word.text for word in words]),
    )


def join_words(pieces: list[str]) -> str:
    """Whisper words carry their own leading spaces (English) or none (Chinese)."""
    return "".join(pieces).strip()


def _distance(turn: Turn, moment: float) -> float:
    if turn.start <= moment <= turn.end:
        return 0.0
    return min(abs(turn.start - moment), abs(turn.end - moment))
