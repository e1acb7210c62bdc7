//! The server's CPU time, read from `/proc` when the server runs on this machine: the
//! processes holding the listening socket of the port under test (one server, or workers
//! sharing the socket). CPU per request is the figure a noisy shared machine disturbs least:
//! a neighbour's load stretches latencies, not the work each request costs.

use std::net::SocketAddr;
use std::time::Duration;

/// `/proc` counts CPU time in USER_HZ ticks, which Linux fixes at 100 a second.
const TICK: Duration = Duration::from_millis(10);

#[derive(Debug, Clone)]
pub(crate) struct ServerCpu {
    pids: Vec<u32>,
}

impl ServerCpu {
    /// The processes listening on `addr`'s port here; `None` when there are none this process
    /// may see (another machine, another user's server, no `/proc`).
    pub(crate) fn find(addr: SocketAddr) -> Option<Self> {
        let inodes = listening_inodes(addr.port());
        if inodes.is_empty() {
            return None;
        }
        let pids = socket_holders(&inodes);
        (!pids.is_empty()).then_some(Self { pids })
    }

    /// CPU time (user and system, every thread) the processes have used so far.
    pub(crate) fn used(&self) -> Option<Duration> {
        let mut ticks = 0u64;
        for pid in &self.pids {
            ticks += process_ticks(*pid)?;
        }
        u32::try_from(ticks).ok().map(|t| TICK * t)
    }
}

impl ServerCpu {
    /// Resident memory of the processes now, in bytes (`VmRSS`).
    pub(crate) fn resident(&self) -> Option<u64> {
        let mut bytes = 0;
        for pid in &self.pids {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            bytes += kib * 1024;
        }
        Some(bytes)
    }
}

/// Inodes of the sockets listening on `port` (IPv4 and IPv6).
fn listening_inodes(port: u16) -> Vec<String> {
    let wanted = format!("{port:04X}");
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else { continue };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state), Some(inode)) = (fields.get(1), fields.get(3), fields.get(9)) else {
                continue;
            };
            // State 0A is LISTEN.
            if *state == "0A" && local.rsplit(':').next() == Some(wanted.as_str()) && *inode != "0" {
                inodes.push(format!("socket:[{inode}]"));
            }
        }
    }
    inodes
}

/// The processes with one of `sockets` among their open files.
fn socket_holders(sockets: &[String]) -> Vec<u32> {
    let Ok(procs) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut pids = Vec::new();
    for entry in procs.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else { continue };
        let holds = fds.flatten().any(|fd| {
            std::fs::read_link(fd.path())
                .ok()
                .and_then(|target| target.to_str().map(|t| sockets.iter().any(|s| s == t)))
                .unwrap_or(false)
        });
        if holds {
            pids.push(pid);
        }
    }
    pids
}

/// utime + stime of a process, from `/proc/<pid>/stat` (the name in parentheses may hold
/// spaces, so fields are counted from its closing parenthesis).
fn process_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_ticks(&stat)
}

fn parse_ticks(stat: &str) -> Option<u64> {
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of the file; the first after the name is field 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_times_past_a_name_with_spaces_and_parentheses() {
        let stat = "4242 (tokio (rt) 1) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 9 0 100 0 0";
        assert_eq!(parse_ticks(stat), Some(1234 + 567));
        assert_eq!(parse_ticks("garbage"), None);
    }

    #[tokio::test]
    async fn finds_a_listener_of_this_process_and_its_cpu() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let Some(cpu) = ServerCpu::find(addr) else {
            eprintln!("skipped: no /proc here");
            return;
        };
        assert_eq!(cpu.pids, vec![std::process::id()]);
        let before = cpu.used().expect("cpu");
        let spin = std::time::Instant::now();
        let mut x = 0u64;
        while spin.elapsed() < Duration::from_millis(200) {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        std::hint::black_box(x);
        let spent = cpu.used().expect("cpu") - before;
        assert!(spent >= Duration::from_millis(100), "200 ms of spinning shows: {spent:?}");
        assert!(cpu.resident().is_some_and(|b| b > 1024 * 1024), "a test process holds over a MiB");
    }
}
