//! A real ZooKeeper server (Debian `zookeeper` package) for tests.
//! (Being implemented.)
