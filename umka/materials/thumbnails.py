"""The first page of a PDF as a PNG picture (poppler's `pdftoppm`), made by the
task queue after the upload is committed; a PDF poppler cannot read keeps no
picture (the page shows the file's name instead)."""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from umka.materials.models import MaterialFile

logger = logging.getLogger(__name__)

#: Width of the picture in pixels (a phone's screen, sharp enough).
WIDTH = 480
TIMEOUT_SECONDS = 60


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def render_first_page(pdf: bytes) -> bytes | None:
    """PNG bytes of the first page, or None when poppler cannot render it."""
    tool = pdftoppm()
    if tool is None:
        logger.warning("pdftoppm (poppler-utils) is not installed: no thumbnails")
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "page"
        try:
            subprocess.run(  # noqa: S603 — fixed arguments, our own temp files
                [
                    tool,
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-scale-to-x",
                    str(WIDTH),
                    "-scale-to-y",
                    "-1",
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            logger.info("pdftoppm could not render a PDF", exc_info=True)
            return None
        picture = target.with_suffix(".png")
        return picture.read_bytes() if picture.exists() else None


def make_thumbnail(file_id: int) -> bool:
    """Store the first page of a stored PDF; True when a picture was made."""
    stored = MaterialFile.objects.filter(pk=file_id, extension="pdf").first()
    if stored is None or stored.thumbnail:
        return False
    with stored.file.open("rb") as handle:
        picture = render_first_page(handle.read())
    if picture is None:
        return False
    stored.thumbnail.save(f"{stored.key}.png", ContentFile(picture), save=False)
    MaterialFile.objects.filter(pk=stored.pk).update(thumbnail=stored.thumbnail.name)
    return True
