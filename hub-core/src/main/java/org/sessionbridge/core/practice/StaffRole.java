package org.sessionbridge.core.practice;

/** What a staff member may do in the practice. Owners and managers grant the telehealth role. */
public enum StaffRole {
  OWNER,
  MANAGER,
  PROVIDER
}
