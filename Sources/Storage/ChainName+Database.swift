public import GRDB
public import PortfolioCore

/// Chain names are stored as their text.
extension ChainName: DatabaseValueConvertible {}
