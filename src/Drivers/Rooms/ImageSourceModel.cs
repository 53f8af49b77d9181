using System.Numerics;
using SpatialAudio.Drivers.Acoustics;
using SpatialAudio.Drivers.Geometry;
using SpatialAudio.Filters.Fft;

namespace SpatialAudio.Drivers.Rooms;

/// <summary>
/// The image-source model of a shoebox room (Allen and Berkley 1979) for one source and one receiver: the list of
/// image sources, the transfer function on any frequency grid and the impulse response at a sample rate.
/// </summary>
/// <remarks>
/// <para>Each image contributes (1/r)·e^{-i2πf r/c}·Π sqrt(1 - α_w(f))^{n_w}·10^(-α_air(f) r/20): delay, spreading
/// relative to 1 m, real angle-independent wall reflection factors, air absorption (ISO 9613-1). Time convention
/// e^{+iωt}.</para>
/// <para>Frequency dependence is carried on fixed interpolation nodes every third of an octave
/// (1000·2^(k/3) Hz, 99 Hz .. 203 kHz): every image's gain is evaluated exactly at the nodes and blended between
/// neighbouring nodes with raised-cosine weights in log-frequency (a smooth partition of unity; constant below
/// 99 Hz). <see cref="TransferFunction"/> and <see cref="ImpulseResponse"/> use the same definition, so the
/// rendered response is the band-limited transfer function. Wall data are smooth per octave, so the nodes carry them
/// exactly enough; air absorption grows about 60 % per third octave, and the blend reproduces its dB value within
/// about 6 % between nodes (ISO 9613-1 itself claims ±10 %), exactly at the nodes. Below 99 Hz the 99 Hz gains are
/// held (air absorption there is under 0.3 dB/km).</para>
/// <para>Rendering accumulates every arrival as a band-limited fractional-delay pulse into one buffer per node
/// (the pulse scaled by the image's gain at that node), transforms each buffer once and blends the spectra with the
/// node weights: the cost is (images × nodes × 64) multiply-adds plus one FFT per node, independent of the number
/// of frequency bins.</para>
/// <para>Design-time code: allocates; an instance is immutable and thread-safe.</para>
/// </remarks>
public sealed class ImageSourceModel
{
    private const int NodeCount = 34;
    private const int FirstNodeExponent = -10;
    private const long MaxImageCount = 4_000_000;

    private static readonly double[] NodeFrequenciesHz = CreateNodes();

    private readonly ImageSource[] images;
    private readonly double[][] logReflection; // [wall][node]: ln sqrt(1 - α_w(node)), -inf for α = 1.
    private readonly double[] airNepersPerMeter; // [node]: amplitude attenuation α_air ln10 / 20.

    /// <summary>Builds the image sources.</summary>
    /// <param name="room">The room.</param>
    /// <param name="sourceMeters">Source position, room coordinates, strictly inside the room.</param>
    /// <param name="receiverMeters">Receiver position, room coordinates, strictly inside the room, not at the source.</param>
    /// <param name="options">Order and delay limits, air. Null: <see cref="ImageSourceOptions"/> defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the room, or the limits are invalid or
    /// would produce more than 4 million images.</exception>
    /// <exception cref="ArgumentException">Source and receiver coincide.</exception>
    public ImageSourceModel(ShoeboxRoom room, Vector3D sourceMeters, Vector3D receiverMeters, ImageSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(room);
        options ??= new ImageSourceOptions();
        ArgumentNullException.ThrowIfNull(options.Air, nameof(options));
        if (!room.Contains(sourceMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(sourceMeters), sourceMeters, "The source must lie strictly inside the room.");
        }

        if (!room.Contains(receiverMeters))
        {
            throw new ArgumentOutOfRangeException(nameof(receiverMeters), receiverMeters, "The receiver must lie strictly inside the room.");
        }

        if (Vector3D.Distance(sourceMeters, receiverMeters) < 1e-3)
        {
            throw new ArgumentException("Source and receiver must be at least 1 mm apart.", nameof(receiverMeters));
        }

        if (options.MaxOrder < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxOrder, "MaxOrder must be 0 or more.");
        }

        if (!(options.MaxDelaySeconds > 0.0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDelaySeconds, "MaxDelaySeconds must be positive.");
        }

        Room = room;
        SourceMeters = sourceMeters;
        ReceiverMeters = receiverMeters;
        Options = options;
        SpeedOfSoundMetersPerSecond = options.Air.SpeedOfSoundMetersPerSecond;

        logReflection = new double[6][];
        for (var w = 0; w < 6; w++)
        {
            logReflection[w] = new double[NodeCount];
            for (var b = 0; b < NodeCount; b++)
            {
                logReflection[w][b] = Math.Log(room.Absorption((RoomWall)w).ReflectionFactorAt(NodeFrequenciesHz[b]));
            }
        }

        airNepersPerMeter = new double[NodeCount];
        for (var b = 0; b < NodeCount; b++)
        {
            airNepersPerMeter[b] = options.IncludeAirAbsorption ? options.Air.AbsorptionDbPerMeter(NodeFrequenciesHz[b]) * Math.Log(10.0) / 20.0 : 0.0;
        }

        var maxDistance = options.MaxDelaySeconds * SpeedOfSoundMetersPerSecond;
        var estimate = Math.Min(
            (double)ImageCount(Math.Min(options.MaxOrder, 2000)),
            double.IsInfinity(maxDistance) ? double.PositiveInfinity : 4.0 / 3.0 * Math.PI * Math.Pow(maxDistance + room.DimensionsMeters.Length, 3) / room.VolumeCubicMeters);
        if (estimate > MaxImageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), estimate, $"These limits give about {estimate:0} images; at most {MaxImageCount} are supported.");
        }

        images = Enumerate(room, sourceMeters, receiverMeters, options.MaxOrder, options.MaxDelaySeconds * SpeedOfSoundMetersPerSecond, SpeedOfSoundMetersPerSecond);
    }

    /// <summary>The room.</summary>
    public ShoeboxRoom Room { get; }

    /// <summary>Source position, room coordinates.</summary>
    public Vector3D SourceMeters { get; }

    /// <summary>Receiver position, room coordinates.</summary>
    public Vector3D ReceiverMeters { get; }

    /// <summary>The options the model was built with.</summary>
    public ImageSourceOptions Options { get; }

    /// <summary>Speed of sound used for the delays, m/s.</summary>
    public double SpeedOfSoundMetersPerSecond { get; }

    /// <summary>The image sources, sorted by delay (the direct path first).</summary>
    public IReadOnlyList<ImageSource> Images => images;

    /// <summary>The interpolation node frequencies, Hz (third-octave spaced, 99 Hz .. 203 kHz).</summary>
    public static IReadOnlyList<double> InterpolationNodesHz => NodeFrequenciesHz;

    /// <summary>Number of image sources with order exactly 0..maxOrder in an unbounded-delay model: 4n² + 2 for n ≥ 1.</summary>
    /// <param name="maxOrder">Highest order, 0 or more.</param>
    /// <returns>The count of images with order at most <paramref name="maxOrder"/>, (2N+1)(2N²+2N+3)/3.</returns>
    public static long ImageCount(int maxOrder)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOrder);
        var n = (long)maxOrder;
        return (2 * n + 1) * ((2 * n * n) + (2 * n) + 3) / 3;
    }

    /// <summary>The complex amplitude factor of one image at a frequency (without its delay phase).</summary>
    /// <param name="image">One of <see cref="Images"/>.</param>
    /// <param name="frequencyHz">Frequency, Hz, at least 0.</param>
    /// <returns>Wall reflections × air absorption / r, blended between interpolation nodes.</returns>
    public double GainAt(ImageSource image, double frequencyHz)
    {
        ArgumentNullException.ThrowIfNull(image);
        NodeWeights(frequencyHz, out var lower, out var lowerWeight);
        var gain = lowerWeight * NodeGain(image, lower);
        if (lowerWeight < 1.0)
        {
            gain += (1.0 - lowerWeight) * NodeGain(image, lower + 1);
        }

        return gain;
    }

    /// <summary>Evaluates the room transfer function from source to receiver at the given frequencies.</summary>
    /// <param name="frequenciesHz">Frequencies in Hz, each at least 0.</param>
    /// <param name="destination">Receives one complex value per frequency (pressure re. the free-field value at 1 m).</param>
    /// <remarks>Cost: images × frequencies complex exponentials; use <see cref="ImpulseResponse"/> for dense grids.</remarks>
    public void TransferFunction(ReadOnlySpan<double> frequenciesHz, Span<Complex> destination)
    {
        if (destination.Length < frequenciesHz.Length)
        {
            throw new ArgumentException("Destination must hold one value per frequency.", nameof(destination));
        }

        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            var f = frequenciesHz[k];
            if (!(f >= 0.0) || double.IsInfinity(f))
            {
                throw new ArgumentOutOfRangeException(nameof(frequenciesHz), f, "Frequencies must be finite and not negative.");
            }

            NodeWeights(f, out var lower, out var lowerWeight);
            var omega = 2.0 * Math.PI * f;
            double re = 0.0, im = 0.0;
            foreach (var image in images)
            {
                var gain = lowerWeight * NodeGain(image, lower);
                if (lowerWeight < 1.0)
                {
                    gain += (1.0 - lowerWeight) * NodeGain(image, lower + 1);
                }

                var (sin, cos) = Math.SinCos(-omega * image.DelaySeconds);
                re += gain * cos;
                im += gain * sin;
            }

            destination[k] = new Complex(re, im);
        }
    }

    /// <summary>Renders the band-limited impulse response at a sample rate.</summary>
    /// <param name="sampleRateHz">Sample rate, 1 kHz .. 384 kHz.</param>
    /// <param name="lengthSamples">Samples returned, 1 .. 65280.</param>
    /// <returns>The impulse response; sample 0 is the emission time.</returns>
    /// <remarks>
    /// Every arrival is a 64-tap Kaiser-windowed sinc pulse (flat to 0.41 fs, more than 80 dB down at fs/2) centred on
    /// its exact fractional delay, so the response equals the transfer function band-limited to 0.41 fs. Arrivals whose
    /// pulse starts after the last sample are skipped; pre-ringing before sample 0 is cut. The final inverse transform
    /// is in float (about 1e-7 of the direct peak).
    /// </remarks>
    public double[] ImpulseResponse(double sampleRateHz, int lengthSamples)
    {
        if (!(sampleRateHz >= 1000.0 && sampleRateHz <= 384_000.0))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must lie in 1 kHz..384 kHz.");
        }

        const int margin = 4 * BandLimitedKernel.Length;
        if (lengthSamples < 1 || lengthSamples > ComplexFft.MaxSize - margin)
        {
            throw new ArgumentOutOfRangeException(nameof(lengthSamples), lengthSamples, $"Length must lie in 1..{ComplexFft.MaxSize - margin}.");
        }

        // Padding keeps the node blends' zero-phase tails and the wrapped pre-ringing out of the returned samples.
        var wanted = (long)lengthSamples + Math.Max(lengthSamples / 2, margin);
        var size = (int)Math.Min(ComplexFft.MaxSize, Math.Max(ComplexFft.MinSize, BitOperations.RoundUpToPowerOf2((ulong)wanted)));
        var mask = size - 1;

        var nodes = 1;
        while (nodes < NodeCount && NodeFrequenciesHz[nodes - 1] < sampleRateHz / 2)
        {
            nodes++;
        }

        var buffers = new double[nodes][];
        for (var b = 0; b < nodes; b++)
        {
            buffers[b] = new double[size];
        }

        var kernel = BandLimitedKernel.Shared;
        Span<double> taps = stackalloc double[BandLimitedKernel.Length];
        Span<double> gains = stackalloc double[NodeCount];
        var used = new bool[nodes];
        foreach (var image in images)
        {
            var position = image.DelaySeconds * sampleRateHz;
            if (position - BandLimitedKernel.HalfLength >= lengthSamples)
            {
                break; // Sorted by delay: every later image starts later still.
            }

            var any = false;
            for (var b = 0; b < nodes; b++)
            {
                gains[b] = NodeGain(image, b);
                any |= gains[b] != 0.0;
            }

            if (!any)
            {
                continue;
            }

            var first = kernel.Place(position, taps);
            var start = (int)(((first % size) + size) % size);
            for (var b = 0; b < nodes; b++)
            {
                var g = gains[b];
                if (g == 0.0)
                {
                    continue;
                }

                used[b] = true;
                var buffer = buffers[b];
                if (start + BandLimitedKernel.Length <= size)
                {
                    var slice = buffer.AsSpan(start, BandLimitedKernel.Length);
                    for (var j = 0; j < taps.Length; j++)
                    {
                        slice[j] += g * taps[j];
                    }
                }
                else
                {
                    for (var j = 0; j < taps.Length; j++)
                    {
                        buffer[(start + j) & mask] += g * taps[j];
                    }
                }
            }
        }

        var fft = new RealFft(size);
        var bins = fft.BinCount;
        var lowerNode = new int[bins];
        var lowerWeights = new double[bins];
        for (var k = 0; k < bins; k++)
        {
            NodeWeights(k * sampleRateHz / size, out lowerNode[k], out lowerWeights[k]);
        }

        var totalReal = new double[bins];
        var totalImag = new double[bins];
        var time = new float[size];
        var real = new float[bins];
        var imag = new float[bins];
        for (var b = 0; b < nodes; b++)
        {
            if (!used[b])
            {
                continue;
            }

            var buffer = buffers[b];
            for (var n = 0; n < size; n++)
            {
                time[n] = (float)buffer[n];
            }

            fft.Forward(time, real, imag);
            for (var k = 0; k < bins; k++)
            {
                var weight = lowerNode[k] == b ? lowerWeights[k] : lowerNode[k] + 1 == b ? 1.0 - lowerWeights[k] : 0.0;
                if (weight != 0.0)
                {
                    totalReal[k] += weight * real[k];
                    totalImag[k] += weight * imag[k];
                }
            }
        }

        for (var k = 0; k < bins; k++)
        {
            real[k] = (float)totalReal[k];
            imag[k] = (float)totalImag[k];
        }

        fft.Inverse(real, imag, time);
        var result = new double[lengthSamples];
        for (var n = 0; n < lengthSamples; n++)
        {
            result[n] = time[n];
        }

        return result;
    }

    /// <summary>
    /// Direct-to-reverberant ratio from the image gains at one frequency: 10 log10(|g_direct|² / Σ|g_reflections|²).
    /// </summary>
    /// <param name="frequencyHz">Frequency, Hz.</param>
    /// <returns>DRR in dB (energy sum, incoherent), over the images this model holds.</returns>
    public double DirectToReverberantRatioDb(double frequencyHz)
    {
        double direct = 0.0, reverberant = 0.0;
        foreach (var image in images)
        {
            var g = GainAt(image, frequencyHz);
            if (image.Order == 0)
            {
                direct += g * g;
            }
            else
            {
                reverberant += g * g;
            }
        }

        return 10.0 * Math.Log10(direct / reverberant);
    }

    private static double[] CreateNodes()
    {
        var nodes = new double[NodeCount];
        for (var b = 0; b < NodeCount; b++)
        {
            nodes[b] = 1000.0 * Math.Pow(2.0, (FirstNodeExponent + b) / 3.0);
        }

        return nodes;
    }

    // Raised-cosine blend in log-frequency between node `lower` (weight lowerWeight) and node `lower + 1`.
    private static void NodeWeights(double frequencyHz, out int lower, out double lowerWeight)
    {
        if (!(frequencyHz > NodeFrequenciesHz[0]))
        {
            lower = 0;
            lowerWeight = 1.0;
            return;
        }

        var x = 3.0 * Math.Log2(frequencyHz / NodeFrequenciesHz[0]);
        if (x >= NodeCount - 1)
        {
            lower = NodeCount - 1;
            lowerWeight = 1.0;
            return;
        }

        lower = (int)x;
        var c = Math.Cos(0.5 * Math.PI * (x - lower));
        lowerWeight = c * c;
    }

    private double NodeGain(ImageSource image, int node)
    {
        var hits = image.Hits;
        var exponent = -airNepersPerMeter[node] * image.DistanceMeters;
        exponent += Term(hits.XMin, logReflection[0][node]) + Term(hits.XMax, logReflection[1][node])
            + Term(hits.YMin, logReflection[2][node]) + Term(hits.YMax, logReflection[3][node])
            + Term(hits.Floor, logReflection[4][node]) + Term(hits.Ceiling, logReflection[5][node]);
        return Math.Exp(exponent) / image.DistanceMeters;
    }

    // n·ln(β) with 0·ln(0) = 0: a fully absorbing wall that is never hit does not silence the path.
    private static double Term(int count, double logFactor) => count == 0 ? 0.0 : count * logFactor;

    private static ImageSource[] Enumerate(ShoeboxRoom room, Vector3D source, Vector3D receiver, int maxOrder, double maxDistance, double speedOfSound)
    {
        var size = room.DimensionsMeters;
        var lx = AxisRange(size.X, maxOrder, maxDistance);
        var ly = AxisRange(size.Y, maxOrder, maxDistance);
        var lz = AxisRange(size.Z, maxOrder, maxDistance);
        var bandCount = room.BandCentersHz.Count;
        var logBand = new double[6, bandCount];
        for (var w = 0; w < 6; w++)
        {
            for (var b = 0; b < bandCount; b++)
            {
                logBand[w, b] = Math.Log(Math.Sqrt(1.0 - room.Absorption((RoomWall)w).Coefficients[b]));
            }
        }

        var maxDistanceSquared = maxDistance * maxDistance;
        var list = new List<ImageSource>();
        for (var ux = 0; ux <= 1; ux++)
        {
            for (var ix = -lx; ix <= lx; ix++)
            {
                var px = ((1 - (2 * ux)) * source.X) + (2 * ix * size.X);
                int xMin = Math.Abs(ix - ux), xMax = Math.Abs(ix);
                var dx = px - receiver.X;
                if (xMin + xMax > maxOrder || dx * dx > maxDistanceSquared)
                {
                    continue;
                }

                for (var uy = 0; uy <= 1; uy++)
                {
                    for (var iy = -ly; iy <= ly; iy++)
                    {
                        var py = ((1 - (2 * uy)) * source.Y) + (2 * iy * size.Y);
                        int yMin = Math.Abs(iy - uy), yMax = Math.Abs(iy);
                        var dy = py - receiver.Y;
                        if (xMin + xMax + yMin + yMax > maxOrder || (dx * dx) + (dy * dy) > maxDistanceSquared)
                        {
                            continue;
                        }

                        for (var uz = 0; uz <= 1; uz++)
                        {
                            for (var iz = -lz; iz <= lz; iz++)
                            {
                                var pz = ((1 - (2 * uz)) * source.Z) + (2 * iz * size.Z);
                                int floor = Math.Abs(iz - uz), ceiling = Math.Abs(iz);
                                var dz = pz - receiver.Z;
                                var squared = (dx * dx) + (dy * dy) + (dz * dz);
                                var hits = new WallHits(xMin, xMax, yMin, yMax, floor, ceiling);
                                if (hits.Total > maxOrder || squared > maxDistanceSquared)
                                {
                                    continue;
                                }

                                var distance = Math.Sqrt(squared);
                                var image = new Vector3D(px, py, pz);
                                var arrival = (1.0 / distance) * (image - receiver);
                                var departure = new Vector3D(-(1 - (2 * ux)) * arrival.X, -(1 - (2 * uy)) * arrival.Y, -(1 - (2 * uz)) * arrival.Z);
                                var gains = new double[bandCount];
                                for (var b = 0; b < bandCount; b++)
                                {
                                    gains[b] = Math.Exp(Term(xMin, logBand[0, b]) + Term(xMax, logBand[1, b]) + Term(yMin, logBand[2, b])
                                        + Term(yMax, logBand[3, b]) + Term(floor, logBand[4, b]) + Term(ceiling, logBand[5, b]));
                                }

                                list.Add(new ImageSource(image, hits, distance, distance / speedOfSound, arrival, departure, gains));
                            }
                        }
                    }
                }
            }
        }

        var result = list.ToArray();
        Array.Sort(result, static (a, b) => a.DistanceMeters.CompareTo(b.DistanceMeters));
        return result;
    }

    private static int AxisRange(double length, int maxOrder, double maxDistance)
    {
        // Order: |i - u| + |i| <= maxOrder needs |i| <= (maxOrder + 1) / 2. Distance: |2 i L| - 2L <= maxDistance.
        var byOrder = (int)Math.Min(int.MaxValue, ((long)maxOrder + 1) / 2);
        var byDistance = double.IsInfinity(maxDistance) ? int.MaxValue : (int)Math.Ceiling((maxDistance / (2.0 * length)) + 1.0);
        return Math.Min(byOrder, byDistance);
    }
}
