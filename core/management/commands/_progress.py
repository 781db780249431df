"""A one-line progress bar on the terminal (standard error), plain lines when not a terminal."""


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = getattr(getattr(stream, "_out", stream), "isatty", lambda: False)()

    def update(self, done: int, total: int, label: str) -> None:
        filled = self.WIDTH * done // max(total, 1)
        line = f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{total} {label}"
        if self.tty:
            self.stream.write(f"\r{line[:100]:<100}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def done(self) -> None:
        if self.tty:
            self.stream.write("")
