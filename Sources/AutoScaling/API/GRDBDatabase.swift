import GRDB

/// GRDB's connection type under a name that does not clash with anything of ours.
typealias GRDBDatabase = GRDB.Database
