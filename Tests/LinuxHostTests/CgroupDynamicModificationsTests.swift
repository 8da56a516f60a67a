@testable import LinuxHost
import XCTest

/// The cgroup2 superblock found in mountinfo, and `favordynmods` turned on for this host's
/// (root): on, with the superblock's other options and the mount's own flags as they were.
final class CgroupDynamicModificationsTests: XCTestCase {
    func testHybridHostsSuperblockIsTheUnifiedMount() throws {
        let superblock = try XCTUnwrap(CgroupDynamicModifications.superblock(mountinfo: CgroupTests.hybridMountinfo))
        XCTAssertEqual(superblock, .init(mountPoint: "/sys/fs/cgroup/unified", options: []))
        XCTAssertFalse(superblock.isFavored)
    }

    func testSysFsCgroupIsPreferredAndItsOptionsKeptWithoutRwOrSeclabel() throws {
        let mountinfo = """
            40 33 0:40 / /mnt/other-cgroup2 rw,relatime - cgroup2 cgroup2 rw,nsdelegate
            33 25 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,seclabel,nsdelegate,memory_recursiveprot,favordynmods
            """
        let superblock = try XCTUnwrap(CgroupDynamicModifications.superblock(mountinfo: mountinfo))
        XCTAssertEqual(superblock.mountPoint, "/sys/fs/cgroup")
        XCTAssertEqual(superblock.options, ["nsdelegate", "memory_recursiveprot", "favordynmods"])
        XCTAssertTrue(superblock.isFavored)
    }

    func testNoCgroup2MountIsNil() {
        XCTAssertNil(CgroupDynamicModifications.superblock(mountinfo: "25 30 0:21 / /sys rw - sysfs sysfs rw"))
    }

    /// The real host's superblock. The setting is the host's (as `wharf` itself leaves it), so
    /// nothing is undone afterwards.
    func testFavorTurnsTheOptionOnAndKeepsEverythingElse() throws {
        try XCTSkipUnless(getuid() == 0, "reconfiguring the cgroup2 superblock needs root")
        let before = try FileSystem.read("/proc/self/mountinfo")
        guard let superblock = CgroupDynamicModifications.superblock(mountinfo: before) else {
            throw XCTSkip("no cgroup2 mount on this host")
        }
        let outcome = try CgroupDynamicModifications.favor()
        if case .unsupported(let reason) = outcome { throw XCTSkip(reason) }
        XCTAssertTrue(
            outcome == .favored(mountPoint: superblock.mountPoint) || outcome == .alreadyFavored(mountPoint: superblock.mountPoint),
            "\(outcome)")
        let after = try FileSystem.read("/proc/self/mountinfo")
        let now = try XCTUnwrap(CgroupDynamicModifications.superblock(mountinfo: after))
        XCTAssertTrue(now.isFavored, "\(now.options)")
        XCTAssertEqual(Set(now.options), Set(superblock.options).union([CgroupDynamicModifications.option]))
        XCTAssertEqual(mountFlags(of: now.mountPoint, in: after), mountFlags(of: superblock.mountPoint, in: before))
        // Asked again, it is on already and nothing changes.
        XCTAssertEqual(try CgroupDynamicModifications.favor(), .alreadyFavored(mountPoint: superblock.mountPoint))
    }

    /// The per-mount options (field 6 of mountinfo: `rw,nosuid,nodev,...`) of `mountPoint`.
    private func mountFlags(of mountPoint: String, in mountinfo: String) -> String? {
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count > 5, fields[4] == mountPoint { return String(fields[5]) }
        }
        return nil
    }
}
