//! Sessions against a fake agent (in-process HTTP server).
