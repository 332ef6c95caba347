"""Film embeds: the addresses editors paste, read down to an allowed host and a video id."""

import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{6,12}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com", "music.youtube.com"}  # fmt: skip
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def parse_video_address(text: str) -> tuple[str, str] | None:
    """Return (host, id) for a YouTube or Vimeo address, or None if it is not one.

    Accepts youtube.com/watch?v=ID, youtu.be/ID, /shorts/ID, /embed/ID, /live/ID,
    vimeo.com/ID, vimeo.com/channels/name/ID and player.vimeo.com/video/ID, with or
    without the scheme, and with extra parameters (t=, si=, feature=) ignored.
    """
    text = (text or "").strip()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [segment for segment in parts.path.split("/") if segment]
    if host in ("youtu.be", "www.youtu.be") and segments:
        return _youtube(segments[0])
    if host in YOUTUBE_HOSTS:
        if segments == ["watch"]:
            return _youtube(parse_qs(parts.query).get("v", [""])[0])
        if len(segments) >= 2 and segments[0] in ("shorts", "embed", "live", "v"):
            return _youtube(segments[1])
        return None
    if host in VIMEO_HOSTS and segments:
        return _vimeo(segments[-1])
    return None


def _youtube(video_id: str) -> tuple[str, str] | None:
    return ("youtube", video_id) if YOUTUBE_ID.match(video_id) else None


def _vimeo(video_id: str) -> tuple[str, str] | None:
    return ("vimeo", video_id) if VIMEO_ID.match(video_id) else None
