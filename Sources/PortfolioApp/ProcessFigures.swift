import Foundation

/// The process's memory, file descriptors, CPU time and start, read from /proc at each scrape
/// (Linux; elsewhere what cannot be read is left out).
struct ProcessFigures {
  var residentBytes: Double?
  var openFileDescriptors: Double?
  var maxFileDescriptors: Double?
  var cpuSeconds: Double?
  var startTimeSeconds: Double?

  static func read() -> ProcessFigures {
    var figures = ProcessFigures()
    let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
    if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
      let fields = statm.split(separator: " ")
      if fields.count > 1, let pages = Double(fields[1]) { figures.residentBytes = pages * pageSize }
    }
    figures.openFileDescriptors = openDescriptorCount().map(Double.init)
    var limit = rlimit()
    if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
      figures.maxFileDescriptors = Double(limit.rlim_cur)
    }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    if ticks > 0, let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    {
      // Fields after the command name, which may hold spaces: state is field 3.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]) {
        figures.cpuSeconds = (user + system) / ticks
        if let started = Double(fields[19]), let boot = bootTime() {
          figures.startTimeSeconds = boot + started / ticks
        }
      }
    }
    return figures
  }

  /// Entries of /proc/self/fd, counted without making a string of each: a server with
  /// thousands of stream clients has thousands.
  private static func openDescriptorCount() -> Int? {
    guard let directory = opendir("/proc/self/fd") else { return nil }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
      // Skips `.` and `..`.
      if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
    }
    // The listing holds the directory's own descriptor while it is read.
    return max(count - 1, 0)
  }

  /// When the machine booted, in seconds since 1970 (`btime` of /proc/stat).
  private static func bootTime() -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
    for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
      return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}
