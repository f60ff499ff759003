package net.b4mad.successor.workspace;

/** A path argument that points outside every directory the server may touch. */
public final class PathOutsideRootsException extends IllegalArgumentException {

  public PathOutsideRootsException(String message) {
    super(message);
  }
}
