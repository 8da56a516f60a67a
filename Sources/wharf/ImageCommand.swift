import ArgumentParser
import Foundation
import ImageStore

/// `wharf image import|ls|rm`: the local image store.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "Manage local images.", subcommands: [Import.self, List.self, Remove.self])

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
}
