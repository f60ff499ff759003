package net.b4mad.successor.train;

/**
 * One tokenised training sequence. {@code trained[t]} says whether token {@code t} is a target of the loss,
 * predicted from the tokens before it; token 0 never is.
 */
public record TrainingSequence(String id, int[] tokens, boolean[] trained) {

  public TrainingSequence {
    if (tokens.length != trained.length) {
      throw new IllegalArgumentException("tokens and trained flags differ in length");
    }
  }

  public int length() {
    return tokens.length;
  }

  public int trainedCount() {
    int count = 0;
    for (boolean t : trained) {
      if (t) {
        count++;
      }
    }
    return count;
  }
}
