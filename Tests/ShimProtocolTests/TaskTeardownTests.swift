import Foundation
import LinuxHost
import ShimProtocol
import XCTest

/// Teardown of a task's host resources (root: a real veth pair in the host namespace). The
/// cgroup hierarchy is a plain temporary directory, so the cgroup step can be made to fail
/// (a non-empty directory refuses `rmdir`) the way a process stuck in the cgroup makes it fail.
final class TaskTeardownTests: XCTestCase {
    private var netlink: RouteNetlink?
    private var scratch = ""
    private var vethName = ""
    private let taskID = "0123456789abcdef0123456789abcdef"

    override func setUpWithError() throws {
        netlink = try RouteNetlink()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-teardown-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch + "/cgroup/wharf/" + taskID, withIntermediateDirectories: true)
        vethName = "wtd" + String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        try XCTUnwrap(netlink).createVethPair(hostName: vethName, peerName: vethName + "p", peerNamespaceFD: nil)
    }

    override func tearDown() {
        if let netlink { XCTAssertNoThrow(try netlink.deleteLink(named: vethName)) }
        netlink = nil
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// A plan owning the veth, an address from a pool in the scratch directory, and a cgroup.
    private func planWithAddress() throws -> (SupervisorPlan, IPAddressPool) {
        let network = try XCTUnwrap(IPv4Network(address: IPv4Address(10, 99, 0, 0), prefixLength: 24))
        let pool = try IPAddressPool(directory: scratch + "/ipam", network: network)
        let address = try pool.allocate(owner: taskID)
        let plan = SupervisorPlan(
            taskID: taskID, hostname: nil, cgroupPath: "wharf/" + taskID, cgroupHierarchy: .unified(root: scratch + "/cgroup"),
            resources: TaskResources(vethName: vethName, addressPoolDirectory: pool.directory, address: address.description),
            containers: [])
        return (plan, pool)
    }

    func testCleanCgroupLeavesTheVethToTheKernel() throws {
        let (plan, pool) = try planWithAddress()
        XCTAssertEqual(TaskTeardown(plan: plan, networkNamespaceFD: nil).run().map(\.step), [])
        XCTAssertNil(pool.address(of: taskID), "address released")
        XCTAssertNotNil(try XCTUnwrap(netlink).linkIndex(named: vethName), "no RTM_DELLINK on the fast path")
    }

    func testFailedCgroupDeletesTheVethBeforeReleasingTheAddress() throws {
        let (plan, pool) = try planWithAddress()
        // A file in the cgroup directory: rmdir fails with ENOTEMPTY, as it would with EBUSY.
        XCTAssertTrue(FileManager.default.createFile(atPath: scratch + "/cgroup/wharf/" + taskID + "/stuck", contents: nil))
        let failures = TaskTeardown(plan: plan, networkNamespaceFD: nil).run()
        XCTAssertEqual(failures.map(\.call), ["rmdir"])
        XCTAssertNil(try XCTUnwrap(netlink).linkIndex(named: vethName), "veth deleted explicitly")
        XCTAssertNil(pool.address(of: taskID), "address released once eth0 is gone")
    }

    func testClosingTheNamespaceDescriptorLetsTheKernelRemoveThePair() throws {
        let netlink = try XCTUnwrap(netlink)
        // A second pair whose peer lives in a namespace only the teardown's descriptor pins.
        let pinnedVeth = "wtn" + String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        let namespaceFD = try NetworkNamespace.create()
        do {
            try netlink.createVethPair(hostName: pinnedVeth, peerName: "eth0", peerNamespaceFD: namespaceFD)
        } catch {
            close(namespaceFD)
            throw error
        }
        var (plan, pool) = try planWithAddress()
        plan.resources.vethName = pinnedVeth
        plan.resources.networkNamespaceDescriptor = TaskResources.inheritedNetworkNamespaceDescriptor
        XCTAssertEqual(TaskTeardown(plan: plan, networkNamespaceFD: namespaceFD).run().map(\.step), [])
        XCTAssertEqual(fcntl(namespaceFD, F_GETFD), -1, "the descriptor is closed")
        XCTAssertNil(pool.address(of: taskID), "address released")
        // The kernel destroys the namespace, and the pair with it, asynchronously.
        let deadline = Date().addingTimeInterval(10)
        while try netlink.linkIndex(named: pinnedVeth) != nil, Date() < deadline { usleep(5_000) }
        let left = try netlink.linkIndex(named: pinnedVeth)
        if left != nil { _ = try? netlink.deleteLink(named: pinnedVeth) }
        XCTAssertNil(left, "the host end goes with the namespace")
    }
}
