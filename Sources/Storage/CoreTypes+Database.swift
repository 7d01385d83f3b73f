public import GRDB
public import PortfolioCore

/// Chain names, users and scopes are stored as their raw values.
extension ChainName: DatabaseValueConvertible {}
extension UserID: DatabaseValueConvertible {}
extension AccessScope: DatabaseValueConvertible {}
