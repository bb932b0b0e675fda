#pragma once
/// \file
/// Small text outputs (JSON summaries, CSV tables) written the way every torus output is: to a
/// temporary file next to the target, flushed to disk, then renamed over it, so a reader or a
/// crash never sees half a file.

#include <string>

namespace torus::io {

/// Writes `text` as the whole content of the file at `path`, atomically. Throws torus::Error
/// naming the path when its folder is missing or not writable or the write fails; the file at
/// `path` is then left as it was.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace torus::io
