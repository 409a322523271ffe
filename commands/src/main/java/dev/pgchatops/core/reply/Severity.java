package dev.pgchatops.core.reply;

public enum Severity { INFO, SUCCESS, WARNING, ERROR }
