import Dispatch
import Foundation
import LinuxHost

/// Network namespaces made ready ahead of launches, so an awsvpc launch only has to address
/// one.
///
/// Creating a namespace (`unshare`) and a veth pair are the two most expensive steps of a
/// launch's network (together well over a millisecond); neither depends on the task, whose id
/// is chosen with the network (`PreparedNetwork.taskID`). A prepared network has its
/// namespace, `lo` up, and a veth pair whose host end sits on the bridge, down, named after the
/// task to come, with `eth0` inside. Taking one leaves the task-specific part to the launch:
/// the address, the default route, and setting the host end up (one request, which also
/// removes the mark below; a rename, as this once did, waited for an RCU grace period under
/// the kernel's rtnl lock).
///
/// Prepared networks live only in this process: each is held by its descriptor alone, so when
/// the process exits the kernel destroys them, veth pairs included, and nothing is left to
/// clean up after a crash. Their host ends carry the alias `TaskNetwork.preparedVethAlias`
/// until a task takes them (and are down on the bridge before the alias is set), so no orphan
/// sweep or leak check (of any process) takes them for a dead task's.
///
/// The pool (a `ReadyPool`) refills after each launch's network is done, so the refill's own
/// netlink requests do not queue behind or ahead of the launch's under the kernel's rtnl lock,
/// and at the lowest priority (`refillNiceness`): it is work for later launches, and must not
/// take CPU from the launch that just took a network (its supervisor is starting the
/// containers then). A network discarded is closed, which destroys it.
enum NetworkPool {
    /// The refills' nice value.
    static let refillNiceness: Int32 = 19

    /// A pool of `capacity` networks made by `prepare`.
    static func make(
        capacity: Int, prepare: @escaping () throws(SystemError) -> PreparedNetwork, onFailure: @escaping (SystemError) -> Void
    ) -> ReadyPool<PreparedNetwork> {
        ReadyPool(
            capacity: capacity, label: "wharf.runtime.network-pool", niceness: refillNiceness, make: prepare,
            discard: { network in close(network.namespaceFD) }, onFailure: onFailure)
    }
}

/// A network ready for a task.
struct PreparedNetwork {
    /// The id of the task it is for: its host end is named after it (see
    /// `TaskNetwork.vethName(for:)`), and the launch that takes it gives its task this id.
    var taskID: String
    /// The namespace; the taker owns the descriptor.
    var namespaceFD: Int32
    /// A netlink socket inside the namespace (closed when released).
    var inside: RouteNetlink
    /// The host end: named after `taskID`, marked as prepared until a task takes it.
    var hostVethIndex: Int32
    var hostVethName: String
    /// `eth0`'s index inside the namespace; it is up, without an address yet.
    var eth0Index: Int32
    /// `eth0`'s MAC address (`0a:1b:…`), chosen when the pair was made.
    var eth0MACAddress: String
}
