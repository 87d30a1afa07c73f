using OrleansTabs.Streams;

namespace OrleansTabs.Grains.Streams;

/// <summary>Cuts a page of messages to a reply's budget (<see cref="ReplyBudget"/>).</summary>
internal static class ReplyPage
{
    /// <summary>
    /// The first messages of <paramref name="messages"/>, at most <paramref name="maxCount"/> and, as frames, at most
    /// <paramref name="maxBytes"/>, though always the first one when <paramref name="maxBytes"/> is positive (one
    /// message larger than the budget still goes, alone). <paramref name="overBudget"/> when the bytes ended the page
    /// before the count or the messages did.
    /// </summary>
    public static List<StreamMessage> Take(IEnumerable<StreamMessage> messages, int maxCount, int maxBytes, out bool overBudget)
    {
        var page = new List<StreamMessage>();
        var bytes = 0;
        overBudget = false;
        foreach (var message in messages)
        {
            if (page.Count == maxCount)
            {
                break;
            }

            bytes += ReplySize.Of(message);
            if (bytes > maxBytes && (page.Count > 0 || maxBytes <= 0))
            {
                overBudget = true;
                break;
            }

            page.Add(message);
        }

        return page;
    }
}
