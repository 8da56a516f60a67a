import ArgumentParser
import Foundation
import ImageStore
import Registry

/// `wharf image import|pull|ls|rm|prune`: the local image store.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage local images.", subcommands: [Import.self, Pull.self, List.self, Remove.self, Prune.self])

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "Directory for images, tasks and address pools.")
        var dataDir: String = "/var/lib/wharf"

        func open() throws -> ImageStore { try ImageStore(root: dataDir + "/images") }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an OCI image layout (directory or tar) or a `docker save` archive.")

        @Argument(help: "OCI layout directory, OCI layout tar, or docker save tar.")
        var path: String

        @Option(help: "Name to give the image (default: the name recorded in the archive).")
        var name: String?

        @OptionGroup var store: StoreOptions

        func run() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path) does not exist")
            }
            let images = try store.open()
            let records = isDirectory.boolValue
                ? try images.importOCILayout(directory: path, name: name)
                : try images.importArchive(tarFile: path, name: name)
            for record in records {
                print("imported \(record.reference.map { "\($0)" } ?? "<none>") \(record.id)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List images.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            var rows = [["REFERENCE", "IMAGE ID", "LAYERS", "SIZE"]]
            for record in try store.open().list() {
                rows.append([
                    record.reference.map { "\($0)" } ?? "<none>", String("\(record.id)".suffix(64).prefix(12)),
                    "\(record.layers.count)", ByteCountFormatter.string(fromByteCount: record.size, countStyle: .binary),
                ])
            }
            print(Table.render(rows))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an image.")

        @Argument(help: "Image reference or id.")
        var reference: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            for record in try store.open().remove(reference: reference) {
                print("removed \(record.reference.map { "\($0)" } ?? "\(record.id)")")
            }
        }
    }

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull an image from a registry (per-layer progress on a terminal, plain lines otherwise).")

        @Argument(help: "Image reference, e.g. busybox, registry:5000/team/app:1.4, name@sha256:<digest>.")
        var reference: String

        @Option(help: "Registry settings file (JSON; must exist when given; default: DATA_DIR/registries.json, if present).")
        var registries: String?

        @Option(name: .customLong("insecure-registry"), help: "Reach this registry host[:port] over plain HTTP (repeatable).")
        var insecureRegistries: [String] = []

        @Option(help: "A JSON credentials file {\"username\", \"password\"} for the image's registry.")
        var credentials: String?

        @Option(help: "Layers downloaded at once (at least 1).")
        var parallel: Int = 4

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1 (layers downloaded at once), got \(parallel)") }
        }

        func run() throws {
            // A file named with --registries must exist; the default one is optional.
            var settings = try RegistryConfiguration.load(path: registries ?? store.dataDir + "/registries.json", required: registries != nil)
            for host in insecureRegistries {
                var entry = settings.settings(for: host)
                entry.insecure = true
                settings.registries[host] = entry
            }
            let explicit = try credentials.map { path in try RegistryCredentials.load(path: path) }
            let puller = ImagePuller(store: try store.open(), configuration: settings, maxConcurrentLayers: parallel)
            let display = PullProgressDisplay(terminal: isatty(STDOUT_FILENO) == 1)
            let result = try puller.pull(reference, credentials: explicit) { event in display.handle(event) }
            display.finish()
            let seconds = result.stoppedAt.timeIntervalSince(result.startedAt)
            print("pulled \(result.record.reference.map { "\($0)" } ?? reference) id \(result.record.id.shortID) "
                + "manifest \(result.record.manifestDigest) (\(result.layersDownloaded) layers, "
                + "\(ByteCountFormatter.string(fromByteCount: result.bytesDownloaded, countStyle: .binary)) downloaded in "
                + String(format: "%.3f s)", seconds))
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove untagged images, then every blob and unpacked layer no remaining image uses.",
            discussion: """
                Images without a name (imported without one, or left untagged when a pull or import \
                moved their name to a newer image) are deleted first. Then every blob (layer, config, manifest, index) and every \
                unpacked layer that no remaining image uses is deleted: the leftovers of removed or \
                untagged images and of interrupted pulls. Named images are never removed.
                """)

        @OptionGroup var store: StoreOptions

        func run() throws {
            let result = try store.open().prune()
            print("removed \(result.layers) layers and \(result.blobs) blobs "
                + "(\(ByteCountFormatter.string(fromByteCount: result.blobBytes, countStyle: .binary)))")
        }
    }
}
