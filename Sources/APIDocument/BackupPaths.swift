import OpenAPIKit

/// `/api/v1/admin/backups` (admin): consistent copies of the database, named by the server.
enum BackupPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [("/api/v1/admin/backups", OpenAPI.PathItem(get: list, post: create))]
  }

  private static let fileName = JSONSchema.string(
    description: "The backup's file name in `backup.directory`: `portfolio-YYYYMMDDTHHMMSSZ.sqlite`, UTC.",
    pattern: "^portfolio-[0-9]{8}T[0-9]{6}Z\\.sqlite$")

  static let schemas: [(String, JSONSchema)] = [
    (
      "Backup",
      Schemas.object(
        [
          ("name", fileName),
          ("bytes", .integer(description: "The file's size.", minimum: (0, exclusive: false))),
          ("created_at", Schemas.dateTime(description: "When it was taken (UTC, to the second).")),
        ], description: "A backup in the server's backup folder.")
    ),
    (
      "BackupWritten",
      Schemas.object(
        [
          ("file", fileName),
          ("bytes", .integer(description: "The file's size.", minimum: (0, exclusive: false))),
          ("took_ms", .integer(description: "Milliseconds the backup took.", minimum: (0, exclusive: false))),
          ("created_at", Schemas.dateTime(description: "When it was taken (UTC, to the second).")),
        ], description: "A backup just written, checked (`PRAGMA integrity_check`) and synced to disk.")
    ),
  ]

  private static let list = Operations.make(
    .get, tag: .backups, id: "listBackups", summary: "The backups in the backup folder, newest first",
    access: .scope("admin"),
    description: "Files named like the server's backups in `backup.directory`; other files are not listed.",
    responses: [
      (
        200,
        Operations.json(
          "The backups.", Schemas.object([("backups", .array(items: Schemas.ref("Backup")))]))
      )
    ])

  private static let create = Operations.make(
    .post, tag: .backups, id: "createBackup", summary: "Back up the database now", access: .scope("admin"),
    description:
      "Copies the database through SQLite's online backup while the server keeps running, into "
      + "`backup.directory` under a name the server chooses. Takes no body (an empty object is accepted). "
      + "Backups run one at a time: a request made while another runs waits for it to finish.",
    responses: [(201, Operations.json("The backup written.", Schemas.ref("BackupWritten")))],
    problems: [
      400: "A body with fields: the server chooses the file (`field` names the first one).",
      415: "A body that is not JSON and declares another type.",
      503:
        "The backup could not be written (the detail says why, e.g. the disk is full), or the server is shutting down.",
    ])
}
