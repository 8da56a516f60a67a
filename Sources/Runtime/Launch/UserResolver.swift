import Foundation

/// Resolves an ECS `user` (`name`, `uid`, `name:group`, `uid:gid`) against the image's
/// `/etc/passwd` and `/etc/group`, as Docker does: numeric ids need no entry, names must exist.
struct UserResolver {
    /// Layer directories, top-most first, in which `etc/passwd` and `etc/group` are looked up.
    let layers: [String]

    struct Identity: Equatable {
        var uid: UInt32
        var gid: UInt32
        var supplementaryGroups: [UInt32]
        var home: String?
    }

    enum Failure: Error, CustomStringConvertible {
        case unknownUser(String), unknownGroup(String)
        var description: String {
            switch self {
            case .unknownUser(let name): return "no user \(name) in the image's /etc/passwd"
            case .unknownGroup(let name): return "no group \(name) in the image's /etc/group"
            }
        }
    }

    func resolve(_ user: String?) throws(Failure) -> Identity {
        let parts = (user ?? "0").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let passwd = entries(of: "etc/passwd")
        let userPart = parts[0].isEmpty ? "0" : parts[0]
        var uid: UInt32
        var gid: UInt32 = 0
        var home: String?
        var userName: String?
        if let number = UInt32(userPart) {
            uid = number
            if let entry = passwd.first(where: { $0.count > 3 && UInt32($0[2]) == number }) {
                gid = UInt32(entry[3]) ?? 0
                home = entry.count > 5 ? entry[5] : nil
                userName = entry[0]
            }
        } else {
            guard let entry = passwd.first(where: { $0.count > 3 && $0[0] == userPart }),
                let number = UInt32(entry[2])
            else { throw .unknownUser(userPart) }
            uid = number
            gid = UInt32(entry[3]) ?? 0
            home = entry.count > 5 ? entry[5] : nil
            userName = userPart
        }
        let groups = entries(of: "etc/group")
        if parts.count == 2 {
            if let number = UInt32(parts[1]) {
                gid = number
            } else {
                guard let entry = groups.first(where: { $0.count > 2 && $0[0] == parts[1] }), let number = UInt32(entry[2])
                else { throw .unknownGroup(parts[1]) }
                gid = number
            }
        }
        var supplementary: [UInt32] = []
        if let userName {
            for entry in groups where entry.count > 3 {
                if entry[3].split(separator: ",").contains(Substring(userName)), let number = UInt32(entry[2]),
                    number != gid
                {
                    supplementary.append(number)
                }
            }
        }
        return Identity(uid: uid, gid: gid, supplementaryGroups: supplementary, home: home)
    }

    /// The colon-separated entries of a file from the top-most layer that has it.
    private func entries(of relativePath: String) -> [[String]] {
        for layer in layers {
            let path = layer + "/" + relativePath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
                $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            }
        }
        return []
    }
}
