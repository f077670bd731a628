"""What every wing of the marketplace may use and none owns: admin page frame, safe spreadsheets, charts."""
