import CWharfLaunch
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Runs real containers: needs root (CAP_SYS_ADMIN), overlayfs and busybox-static.
final class LaunchTests: FixtureTestCase {
    func testEchoToStdoutPipe() throws {
        let r = try fx.run("echo hi; echo oops >&2")
        XCTAssertEqual(r.code, 0)
        XCTAssertEqual(r.out, "hi\n")
        XCTAssertEqual(r.err, "oops\n")
    }

    func testExitCodes() throws {
        XCTAssertEqual(try fx.run("false").code, 1)
        XCTAssertEqual(try fx.run("exit 42").code, 42)
        // With init, sh is PID 2 and can kill itself: init exits with 128+9.
        let killed = try fx.run("kill -9 $$; echo survived") { s, _ in s.init_process = 1 }
        XCTAssertEqual(killed.code, 137)
        XCTAssertEqual(killed.out, "")
        // Without init, sh is the namespace's PID 1, which the kernel shields from its own SIGKILL...
        let pid1 = try fx.run("kill -9 $$; echo survived")
        XCTAssertEqual(pid1.out, "survived\n")
        // ...but SIGKILL from the caller's namespace works and shows in the wait status.
        let arena = CArena()
        let pid = try fx.launch(fx.spec(arena, "sleep 100"))
        kill(pid, SIGKILL)
        XCTAssertEqual(exitCode(waitStatus(pid)), 137)
        fx.forget(pid)
    }

    func testPidNamespaceAndInit() throws {
        XCTAssertEqual(try fx.run("echo $$").out, "1\n")
        // With init the program is PID 2; an orphaned grandchild is reparented to init and reaped.
        let script = """
            echo $$; sh -c 'sleep 0.2 & exit 0'; sleep 1
            for f in /proc/[0-9]*/status; do grep -q 'State:.*Z' $f && echo zombie $f; done; echo done
            """
        let r = try fx.run(script) { s, _ in s.init_process = 1 }
        XCTAssertEqual(r.out, "2\ndone\n")
        XCTAssertEqual(r.code, 0)
    }

    func testInitForwardsSignals() throws {
        let arena = CArena()
        var s = fx.spec(arena, "trap 'echo got TERM; exit 5' TERM; echo ready; while true; do sleep 0.1; done")
        s.init_process = 1
        let out = Pipe()
        defer { close(out.read) }
        s.stdout_fd = out.write
        let pid = try fx.launch(s)
        close(out.write)
        XCTAssertEqual(readUntil(out.read, "ready\n"), "ready\n")
        kill(pid, SIGTERM)
        XCTAssertEqual(readAll(out.read), "got TERM\n")
        XCTAssertEqual(exitCode(waitStatus(pid)), 5)
        fx.forget(pid)
    }

    func testHostnameCwdEnvAndStdio() throws {
        let r = try fx.run("hostname; pwd; echo $FOO; readlink /proc/self/fd/0; ls /proc/self/fd | tr '\\n' ' '") { s, a in
            s.hostname = a.str("web1")
            s.cwd = a.str("/etc")
            s.envp = a.strings(["PATH=/bin", "FOO=bar baz"])
        }
        // fd 3 is ls's own directory fd; nothing of the (test) caller's leaks in.
        XCTAssertEqual(r.out, "web1\n/etc\nbar baz\n/dev/null\n0 1 2 3 ")
        XCTAssertEqual(r.code, 0)
    }

    func testUserGroupsAndCapabilitiesForNonRoot() throws {
        let r = try fx.run("id -u; id -g; id -G; grep Cap /proc/self/status") { s, a in
            s.uid = 1000
            s.gid = 1001
            s.groups = a.array([10 as UInt32, 20])
            s.n_groups = 2
        }
        let defaults = String(format: "%016llx", wharf_default_capabilities())
        XCTAssertEqual(r.out, """
            1000
            1001
            1001 10 20
            CapInh:\t0000000000000000
            CapPrm:\t0000000000000000
            CapEff:\t0000000000000000
            CapBnd:\t\(defaults)
            CapAmb:\t0000000000000000

            """)
    }

    func testCapabilitiesForRoot() throws {
        XCTAssertEqual(wharf_default_capabilities(), 0xa80425fb)  // Docker's well-known default mask
        let r = try fx.run("grep Cap /proc/self/status")
        XCTAssertEqual(r.out, """
            CapInh:\t00000000a80425fb
            CapPrm:\t00000000a80425fb
            CapEff:\t00000000a80425fb
            CapBnd:\t00000000a80425fb
            CapAmb:\t0000000000000000

            """)
        let netAdmin = wharf_capability_from_name("CAP_NET_ADMIN"), chown = wharf_capability_from_name("CHOWN")
        let custom = try fx.run("grep CapEff /proc/self/status; grep CapBnd /proc/self/status") { s, _ in
            s.capabilities = (1 << UInt64(netAdmin)) | (1 << UInt64(chown))
        }
        XCTAssertEqual(custom.out, "CapEff:\t0000000000001001\nCapBnd:\t0000000000001001\n")
    }

    func testCapabilityNames() {
        XCTAssertEqual(wharf_capability_from_name("CAP_NET_ADMIN"), 12)
        XCTAssertEqual(wharf_capability_from_name("NET_ADMIN"), 12)
        XCTAssertEqual(wharf_capability_from_name("net_admin"), 12)
        XCTAssertEqual(wharf_capability_from_name("CAP_CHOWN"), 0)
        XCTAssertEqual(wharf_capability_from_name("SYS_ADMIN"), 21)
        XCTAssertEqual(wharf_capability_from_name("CAP_CHECKPOINT_RESTORE"), 40)
        XCTAssertEqual(wharf_capability_from_name("CAP_BOGUS"), -1)
        XCTAssertEqual(wharf_capability_from_name(""), -1)
        XCTAssertEqual(wharf_capability_from_name(nil), -1)
    }

    func testNoNewPrivsAndRlimits() throws {
        let r = try fx.run("grep NoNewPrivs /proc/self/status; ulimit -n; ulimit -Hn") { s, a in
            s.no_new_privs = 1
            s.rlimits = a.array([wharf_rlimit(resource: Int32(RLIMIT_NOFILE.rawValue), soft: 100, hard: 200)])
            s.n_rlimits = 1
        }
        XCTAssertEqual(r.out, "NoNewPrivs:\t1\n100\n200\n")
    }

    func testReadonlyRootfsWithWritableVolume() throws {
        let vol = try fx.makeDir("vol")
        let roVol = try fx.makeDir("rovol")
        let script = """
            touch /newfile 2>/dev/null && echo root-writable || echo root-ro
            echo data > /srv/deep/data/f && echo vol-ok
            touch /ro/x 2>/dev/null && echo ro-writable || echo ro-ro
            echo hi > /scratch/x && cat /scratch/x
            """
        let r = try fx.run(script) { s, a in
            s.readonly_rootfs = 1
            s.mounts = a.array([
                wharf_mount(source: a.str(vol), target: a.str("/srv/deep/data"), fstype: nil, flags: 0, data: nil),
                wharf_mount(source: a.str(roVol), target: a.str("/ro"), fstype: nil, flags: UInt(MS_RDONLY), data: nil),
                wharf_mount(source: a.str("tmpfs"), target: a.str("/scratch"), fstype: a.str("tmpfs"),
                            flags: UInt(MS_NOSUID), data: a.str("size=1m")),
            ])
            s.n_mounts = 3
        }
        XCTAssertEqual(r.out, "root-ro\nvol-ok\nro-ro\nhi\n", r.err)
        XCTAssertEqual(try String(contentsOfFile: vol + "/f", encoding: .utf8), "data\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.rootfs + "/newfile"))
    }

    func testVolumeSymlinkCannotEscapeRootfs() throws {
        // Image symlinks pointing at a host path (absolute, or via "..") must resolve inside the
        // container's root, never on the host.
        let outside = try fx.makeDir("outside")
        let fm = FileManager.default
        try fm.createDirectory(atPath: fx.rootfs + outside, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: fx.rootfs + "/abs", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: fx.rootfs + "/rel", withDestinationPath: "../../../../../.." + outside)
        let vol1 = try fx.makeDir("vol1"), vol2 = try fx.makeDir("vol2")
        try "1".write(toFile: vol1 + "/id", atomically: false, encoding: .utf8)
        try "2".write(toFile: vol2 + "/id", atomically: false, encoding: .utf8)
        let r = try fx.run("cat \(outside)/v1/id \(outside)/v2/id") { s, a in
            s.mounts = a.array([
                wharf_mount(source: a.str(vol1), target: a.str("/abs/v1"), fstype: nil, flags: 0, data: nil),
                wharf_mount(source: a.str(vol2), target: a.str("/rel/v2"), fstype: nil, flags: 0, data: nil),
            ])
            s.n_mounts = 2
        }
        XCTAssertEqual(r.out, "12", r.err)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: outside), [])
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: fx.rootfs + outside).sorted(), ["v1", "v2"])

        // A symlink dangling inside the root is refused rather than followed on the host.
        try fm.createSymbolicLink(atPath: fx.rootfs + "/dangling", withDestinationPath: fx.base + "/elsewhere")
        XCTAssertThrowsError(try fx.run("true") { s, a in
            s.mounts = a.array([wharf_mount(source: a.str(vol1), target: a.str("/dangling/v"), fstype: nil, flags: 0, data: nil)])
            s.n_mounts = 1
        }) { error in
            XCTAssertEqual((error as? LaunchError)?.message, "mount volume /dangling/v: openat2: No such file or directory")
        }
        XCTAssertFalse(fm.fileExists(atPath: fx.base + "/elsewhere"))
    }

    func testOverlayWritesLandInUpper() throws {
        let upper = try fx.makeDir("upper"), work = try fx.makeDir("work")
        let r = try fx.run("echo new > /newfile; echo changed > /etc/marker; cat /etc/marker") { s, a in
            s.overlay_upper = a.str(upper)
            s.overlay_work = a.str(work)
        }
        XCTAssertEqual(r.out, "changed\n", r.err)
        XCTAssertEqual(try String(contentsOfFile: upper + "/newfile", encoding: .utf8), "new\n")
        XCTAssertEqual(try String(contentsOfFile: upper + "/etc/marker", encoding: .utf8), "changed\n")
        XCTAssertEqual(try String(contentsOfFile: fx.rootfs + "/etc/marker", encoding: .utf8), "marker-content\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.rootfs + "/newfile"))
    }

    func testMultipleLowerLayersWithoutUpper() throws {
        let top = try fx.makeDir("top/etc")
        try "from-top\n".write(toFile: top + "/marker", atomically: false, encoding: .utf8)
        let r = try fx.run("cat /etc/marker; touch /x 2>/dev/null || echo ro") { s, a in
            s.overlay_lower = a.str(self.fx.base + "/top:" + self.fx.rootfs)
        }
        XCTAssertEqual(r.out, "from-top\nro\n", r.err)
    }

    func testMaskedAndReadonlyPaths() throws {
        // /proc/kcore does not exist on every kernel (CONFIG_PROC_KCORE); check whichever exist.
        let script = """
            for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
              [ -e $p ] && { [ -c $p ] && echo "$p masked" || echo "$p OPEN"; }
            done
            wc -c < /proc/keys
            grep -q ' /proc/sys proc ro,' /proc/mounts && echo sys-ro
            echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null || echo write-refused
            grep -q ' /sys sysfs ro,' /proc/mounts && echo sysfs-ro
            """
        let r = try fx.run(script)
        var expected = ""
        for p in ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"]
        where FileManager.default.fileExists(atPath: p) {
            expected += "\(p) masked\n"
        }
        expected += "0\nsys-ro\nwrite-refused\nsysfs-ro\n"
        XCTAssertEqual(r.out, expected, r.err)
    }

    func testDevices() throws {
        let check = try fx.run("for d in null zero full random urandom tty; do [ -c /dev/$d ] && echo $d; done; echo x > /dev/null && echo null-ok; readlink /dev/fd; readlink /dev/ptmx; grep -c devpts /proc/mounts")
        XCTAssertEqual(check.out, "null\nzero\nfull\nrandom\nurandom\ntty\nnull-ok\n/proc/self/fd\npts/ptmx\n1\n", check.err)
    }

    func testErrorsNameTheStep() throws {
        func failure(_ configure: (inout wharf_launch_spec, CArena) -> Void) -> LaunchError? {
            do {
                _ = try fx.run("true", configure: configure)
                return nil
            } catch {
                return error as? LaunchError
            }
        }
        // A missing working directory is created (as Docker and runc do); one that exists as a
        // file cannot be, and the error names that step.
        let cwd = failure { s, a in s.cwd = a.str("/bin/busybox") }
        XCTAssertTrue(cwd?.message.hasPrefix("create working directory /bin/busybox") ?? false, cwd?.message ?? "no error")
        XCTAssertNotEqual(cwd?.errno ?? 0, 0)

        let abs = failure { s, a in s.argv = a.strings(["/bin/nope"]) }
        XCTAssertEqual(abs?.message, "exec /bin/nope: execve: No such file or directory")

        let searched = failure { s, a in s.argv = a.strings(["nope"]) }
        XCTAssertEqual(searched?.message, "exec nope: execve: No such file or directory")

        let vol = failure { s, a in
            s.mounts = a.array([wharf_mount(source: a.str("/nonexistent-src"), target: a.str("/data"), fstype: nil, flags: 0, data: nil)])
            s.n_mounts = 1
        }
        XCTAssertEqual(vol?.message, "mount volume /data: mount: No such file or directory")

        let dotdot = failure { s, a in
            s.mounts = a.array([wharf_mount(source: a.str("/tmp"), target: a.str("/a/../../b"), fstype: nil, flags: 0, data: nil)])
            s.n_mounts = 1
        }
        XCTAssertEqual(dotdot?.message, "validate: mount target may not contain '..': Invalid argument")

        // Failed children were reaped by wharf_launch.
        var status: Int32 = 0
        XCTAssertEqual(waitpid(-1, &status, WNOHANG), -1)
        XCTAssertEqual(errno, ECHILD)
    }

    func testCgroupJoin() throws {
        let cgroup = "/sys/fs/cgroup/pids/wharf-launch-test-\(getpid())"
        try XCTSkipUnless(mkdir(cgroup, 0o755) == 0, "cannot create \(cgroup)")
        defer { rmdir(cgroup) }
        let r = try fx.run("grep pids /proc/self/cgroup") { s, a in
            s.cgroup_procs = a.strings([cgroup + "/cgroup.procs"])
            s.n_cgroup_procs = 1
        }
        XCTAssertTrue(r.out.hasSuffix(":pids:/wharf-launch-test-\(getpid())\n"), r.out)
    }

    func testJoinNetworkNamespace() throws {
        let netns = try makeNetworkNamespace()
        defer { close(netns.fd) }

        let r = try fx.run("readlink /proc/self/ns/net; ls /sys/class/net") { s, a in
            s.netns_fd = netns.fd
        }
        XCTAssertEqual(r.out, "net:[\(netns.inode)]\nlo\n", r.err)
    }

    func testZeroNamespaceDescriptorIsRefused() throws {
        let arena = CArena()
        var s = fx.spec(arena, "true")
        s.netns_fd = 0
        var message = [CChar](repeating: 0, count: 256)
        var code: Int32 = 0
        let pid = message.withUnsafeMutableBufferPointer { wharf_launch(&s, $0.baseAddress, $0.count, &code) }
        XCTAssertEqual(pid, -1)
        XCTAssertEqual(code, EINVAL)
        XCTAssertTrue(String(cString: message).contains("netns_fd"), String(cString: message))
    }
}
