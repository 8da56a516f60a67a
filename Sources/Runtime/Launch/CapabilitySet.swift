import CWharfLaunch

/// Docker's default capability set with a container's `add` and `drop` applied, as a bitmask.
enum CapabilitySet {
    /// Every capability the kernel headers know (CAP_LAST_CAP is 40 on current kernels).
    static let all: UInt64 = (1 << 41) - 1

    static func mask(adding added: [String], dropping dropped: [String]) -> UInt64 {
        var mask = wharf_default_capabilities()
        // Docker applies drop before add, so `drop ALL, add NET_BIND_SERVICE` keeps one.
        for name in dropped {
            if name.uppercased() == "ALL" {
                mask = 0
            } else if case let number = wharf_capability_from_name(name), number >= 0 {
                mask &= ~(UInt64(1) << UInt64(number))
            }
        }
        for name in added {
            if name.uppercased() == "ALL" {
                mask = all
            } else if case let number = wharf_capability_from_name(name), number >= 0 {
                mask |= UInt64(1) << UInt64(number)
            }
        }
        return mask
    }
}
