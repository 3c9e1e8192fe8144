using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataVault.Policies;

/// <summary>
/// Loads the catalogue from <c>fields.yaml</c> (key groups and fields) and <c>purposes.yaml</c> in one
/// directory, checking everything before anything is used: the catalogue decides what may be stored, under
/// which key and released for which purpose, so a mistake in it is a compliance mistake.
/// </summary>
public static class PolicyCatalogueLoader
{
    /// <summary>Loads and validates the catalogue in <paramref name="directory"/>.</summary>
    /// <exception cref="PolicyCatalogueException">Anything is wrong; the message lists every problem found.</exception>
    public static PolicyCatalogue Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var problems = new CatalogueProblems();
        var fieldsRoot = ReadYaml(directory, FieldsFileReader.FileName, "'key_groups' and 'fields'", problems);
        var purposesRoot = ReadYaml(directory, PurposesFileReader.FileName, "'purposes'", problems);

        var fields = fieldsRoot is null ? null : FieldsFileReader.Read(fieldsRoot, problems);
        var purposes = purposesRoot is null
            ? []
            : PurposesFileReader.Read(purposesRoot, fields?.DeclaredFieldNames, problems);

        if (problems.Count > 0 || fields is null)
        {
            throw new PolicyCatalogueException(problems.All);
        }

        return new PolicyCatalogue(fields.KeyGroups, fields.Fields, purposes);
    }

    /// <summary>The root node of a one-document YAML file; null (with a problem reported) when there is none.</summary>
    private static YamlNode? ReadYaml(string directory, string fileName, string expected, CatalogueProblems problems)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            problems.Add(fileName, null, null, $"file not found: {Path.GetFullPath(path)}");
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(fileName, null, null, $"cannot be read: {e.Message}");
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            problems.Add(fileName, null, e.Start.Line > 0 ? e.Start.Line : null, $"YAML syntax error: {e.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for some malformed input (e.g. an
            // unclosed flow sequence); the last event parsed is the best location there is.
            problems.Add(fileName, null, parser.Current?.Start.Line, "YAML syntax error: the file is not well-formed YAML near this line");
            return null;
        }

        switch (stream.Documents.Count)
        {
            case 0:
                problems.Add(fileName, null, null, $"the file is empty; expected a mapping with {expected}");
                return null;
            case > 1:
                problems.Add(fileName, null, stream.Documents[1].RootNode.Start.Line, "the file holds more than one YAML document; expected exactly one");
                return null;
            default:
                return stream.Documents[0].RootNode;
        }
    }
}
