import Foundation
import Storage
import Testing

/// A database path that cannot be used is refused with the path and the system's reason.
@Suite struct DatabaseUnusableTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("unusable-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  private func refusal(_ path: String) -> String? {
    do {
      _ = try AppDatabase(path: path)
      return nil
    } catch let error as DatabaseUnusable {
      return error.description
    } catch {
      return "another error: \(error)"
    }
  }

  @Test func aFolderIsNotADatabase() {
    #expect(refusal(folder.path) == "cannot use the database \(folder.path): Is a directory")
  }

  @Test func aFileWhereAFolderShouldBeIsNamed() throws {
    let file = folder.appendingPathComponent("plain")
    try Data("x".utf8).write(to: file)
    let path = file.appendingPathComponent("deeper/p.sqlite").path
    #expect(
      refusal(path)
        == "cannot use the database \(path): its folder \(file.path)/deeper cannot be made: "
        + "\(file.path) is a file, not a folder")
  }

  @Test func aFileThatIsNotADatabaseIsLeftAlone() throws {
    let file = folder.appendingPathComponent("notes.sqlite")
    let text = String(repeating: "shopping list ", count: 100)
    try Data(text.utf8).write(to: file)
    #expect(refusal(file.path) == "cannot use the database \(file.path): file is not a database")
    #expect(try String(contentsOf: file, encoding: .utf8) == text)
  }

  @Test func missingFoldersAreMade() throws {
    let path = folder.appendingPathComponent("a/b/p.sqlite").path
    let database = try AppDatabase(path: path)
    try database.close()
    #expect(FileManager.default.fileExists(atPath: path))
  }
}
