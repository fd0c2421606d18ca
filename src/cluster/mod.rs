//! `mesos cluster up|down|status`: the bundled dev cluster (later issue).
