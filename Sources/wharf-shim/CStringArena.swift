#if canImport(Glibc)
import Glibc
#endif

/// Owns the C strings and arrays handed to the launch path, freeing them all at once.
///
/// The C side reads them only until the call returns (a prepared container's process works on
/// its own copy of this memory), so one arena per call is enough.
final class CStringArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit {
        for pointer in allocations { free(pointer) }
    }

    /// A NUL-terminated copy of `text`.
    func string(_ text: String) -> UnsafePointer<CChar> {
        guard let copy = strdup(text) else { fatalError("out of memory copying a launch argument") }
        allocations.append(copy)
        return UnsafePointer(copy)
    }

    func optionalString(_ text: String?) -> UnsafePointer<CChar>? {
        text.map { string($0) }
    }

    /// A NULL-terminated array of C strings (argv / envp form).
    func stringArray(_ texts: [String]) -> UnsafePointer<UnsafePointer<CChar>?> {
        let array = buffer(of: UnsafePointer<CChar>?.self, count: texts.count + 1)
        for (index, text) in texts.enumerated() { array[index] = string(text) }
        array[texts.count] = nil
        return UnsafePointer(array)
    }

    /// An uninitialised buffer of `count` values, freed with the arena.
    func buffer<T>(of type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let size = max(1, count) * MemoryLayout<T>.stride
        guard let raw = calloc(1, size) else { fatalError("out of memory for a launch argument array") }
        allocations.append(raw)
        return raw.bindMemory(to: T.self, capacity: max(1, count))
    }
}
