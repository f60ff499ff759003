package net.b4mad.successor;

/** This build's version, from the jar manifest; "dev" when running from class folders. */
public final class Version {

  private Version() {}

  public static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
