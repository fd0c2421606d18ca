//! SSH sessions (ssh2): key-file or agent authentication, host keys checked
//! against `~/.ssh/known_hosts`.
